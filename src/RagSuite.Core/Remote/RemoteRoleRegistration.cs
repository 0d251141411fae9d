using Grpc.Core;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Grpc.Net.ClientFactory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Core.Roles;

namespace RagSuite.Core.Remote;

/// <summary>Registers a role as a gRPC client of its service, configured from <c>RagSuite:Services:{Role}</c>.</summary>
public static class RemoteRoleRegistration
{
    /// <summary>Whether configuration points <paramref name="role"/> at a remote service.</summary>
    public static bool IsRemote(IConfiguration configuration, string role) =>
        !string.IsNullOrWhiteSpace(configuration[$"{RemoteServiceOptions.Section(role)}:{nameof(RemoteServiceOptions.Address)}"]);

    public static IServiceCollection AddRemoteEmbedder(this IServiceCollection services, IConfiguration configuration) =>
        services.AddRemoteRole<Embedder.EmbedderClient, IEmbedder>(RoleNames.Embedder, configuration,
            (client, call) => new GrpcEmbedderClient(client, call));

    public static IServiceCollection AddRemoteRetriever(this IServiceCollection services, IConfiguration configuration) =>
        services.AddRemoteRole<Retriever.RetrieverClient, IRetriever>(RoleNames.Retriever, configuration,
            (client, call) => new GrpcRetrieverClient(client, call));

    public static IServiceCollection AddRemoteReranker(this IServiceCollection services, IConfiguration configuration) =>
        services.AddRemoteRole<Reranker.RerankerClient, IReranker>(RoleNames.Reranker, configuration,
            (client, call) => new GrpcRerankerClient(client, call));

    public static IServiceCollection AddRemoteGenerator(this IServiceCollection services, IConfiguration configuration) =>
        services.AddRemoteRole<Generator.GeneratorClient, IGenerator>(RoleNames.Generator, configuration,
            (client, call) => new GrpcGeneratorClient(client, call));

    private static IServiceCollection AddRemoteRole<TClient, TRole>(this IServiceCollection services, string role,
        IConfiguration configuration, Func<TClient, GrpcCall, TRole> create)
        where TClient : class
        where TRole : class
    {
        services.AddOptions<RemoteServiceOptions>(role)
            .Bind(configuration.GetSection(RemoteServiceOptions.Section(role)))
            .ValidateDataAnnotations()
            .Validate(o => o.Address is { IsAbsoluteUri: true } a && a.Scheme is "http" or "https" or "dns",
                $"{RemoteServiceOptions.Section(role)}:Address must be an absolute http://, https:// or dns:/// address.")
            .ValidateOnStart();

        services.AddGrpcClient<TClient>(role, (sp, o) => o.Address = Options(sp, role).Address)
            .WithCheapHops()
            .ConfigureChannel((sp, channel) =>
            {
                var options = Options(sp, role);
                if (options.Address?.Scheme == "dns")
                {
                    channel.Credentials = ChannelCredentials.Insecure;
                }
                channel.ServiceConfig = ServiceConfigFor(options);
            });

        services.AddSingleton(sp => create(
            sp.GetRequiredService<GrpcClientFactory>().CreateClient<TClient>(role),
            new GrpcCall(role, Options(sp, role))));
        return services;
    }

    private static RemoteServiceOptions Options(IServiceProvider services, string role) =>
        services.GetRequiredService<IOptionsMonitor<RemoteServiceOptions>>().Get(role);

    // Round-robin spreads calls over every address a dns:/// name resolves to (one HTTP/2 connection
    // would otherwise pin a gateway to one pod); retries cover only UNAVAILABLE, which every RagSuite
    // call tolerates because writes are idempotent by document id.
    private static ServiceConfig ServiceConfigFor(RemoteServiceOptions options)
    {
        var config = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } };
        if (options.MaxAttempts > 1)
        {
            config.MethodConfigs.Add(new MethodConfig
            {
                Names = { MethodName.Default },
                RetryPolicy = new RetryPolicy
                {
                    MaxAttempts = options.MaxAttempts,
                    InitialBackoff = TimeSpan.FromMilliseconds(100),
                    MaxBackoff = TimeSpan.FromSeconds(2),
                    BackoffMultiplier = 2,
                    RetryableStatusCodes = { StatusCode.Unavailable },
                },
            });
        }
        return config;
    }
}
