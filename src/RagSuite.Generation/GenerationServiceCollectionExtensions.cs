using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RagSuite.Core.Configuration;
using RagSuite.Core.Roles;
using RagSuite.Generation.Grounding;
using RagSuite.Generation.Prompts;
using RagSuite.Generation.Routing;
using RagSuite.Generation.Upstreams;

namespace RagSuite.Generation;

public static class GenerationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the generator role running in this process, with validated options: its upstreams, router and
    /// templates, and a groundedness scorer that uses the embedder role when one is registered.
    /// </summary>
    public static IServiceCollection AddInProcessGenerator(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<GeneratorOptions>(configuration, GeneratorOptions.Section);
        services.AddSingleton<IValidateOptions<GeneratorOptions>, GeneratorOptionsValidator>();
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<GeneratorMetrics>();
        services.AddSingleton(sp => PromptTemplateCatalog.Load(Options(sp).TemplatesDirectory));
        services.AddSingleton(sp =>
        {
            var options = Options(sp);
            var time = sp.GetRequiredService<TimeProvider>();
            return new UpstreamPool([.. options.Upstreams.Select(u => new ChatUpstream(u, UpstreamKey.Read(u), options.Routing.LatencySmoothing, time))]);
        });
        services.AddSingleton(sp => new LlmAnswerer(new UpstreamRouter(sp.GetRequiredService<UpstreamPool>().Upstreams, Options(sp).Routing),
            sp.GetRequiredService<UpstreamPool>().Upstreams, sp.GetRequiredService<GeneratorMetrics>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new GroundednessScorer(sp.GetService<IEmbedder>(), Options(sp), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<GroundednessScorer>>()));
        services.AddSingleton<IGenerator, InProcessGenerator>();
        return services;
    }

    private static GeneratorOptions Options(IServiceProvider services) => services.GetRequiredService<IOptions<GeneratorOptions>>().Value;
}
