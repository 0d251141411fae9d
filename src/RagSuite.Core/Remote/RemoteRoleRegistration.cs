using Grpc.Core;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Grpc.Net.ClientFactory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Core.Roles;
using RagSuite.Core.Security;

namespace RagSuite.Core.Remote;

/// <summary>Registers a role as a gRPC client of its service, configured from <c>RagSuite:Services:{Role}</c>.</summary>
public static class RemoteRoleRegistration
{
    /// <summary>Whether configuration points <paramref name="role"/> at a remote service (an address or a list of replicas).</summary>
    public static bool IsRemote(IConfiguration configuration, string role)
    {
        var section = configuration.GetSection(RemoteServiceOptions.Section(role));
        return !string.IsNullOrWhiteSpace(section[nameof(RemoteServiceOptions.Address)])
            || section.GetSection(nameof(RemoteServiceOptions.Addresses)).GetChildren().Any(a => !string.IsNullOrWhiteSpace(a.Value));
    }

    public static IServiceCollection AddRemoteEmbedder(this IServiceCollection services, IConfiguration configuration) =>
        services.AddRemoteRole<Embedder.EmbedderClient, IEmbedder>(RoleNames.Embedder, configuration,
            (client, call, sp) => new GrpcEmbedderClient(client, call, sp.GetRequiredService<TimeProvider>()), hedged: true);

    public static IServiceCollection AddRemoteRetriever(this IServiceCollection services, IConfiguration configuration) =>
        services.AddRemoteRole<Retriever.RetrieverClient, IRetriever>(RoleNames.Retriever, configuration,
            (client, call, _) => new GrpcRetrieverClient(client, call), hedged: true);

    public static IServiceCollection AddRemoteReranker(this IServiceCollection services, IConfiguration configuration) =>
        services.AddRemoteRole<Reranker.RerankerClient, IReranker>(RoleNames.Reranker, configuration,
            (client, call, sp) => new GrpcRerankerClient(client, call, sp.GetRequiredService<TimeProvider>()));

    public static IServiceCollection AddRemoteGenerator(this IServiceCollection services, IConfiguration configuration) =>
        services.AddRemoteRole<Generator.GeneratorClient, IGenerator>(RoleNames.Generator, configuration,
            (client, call, _) => new GrpcGeneratorClient(client, call));

    private static IServiceCollection AddRemoteRole<TClient, TRole>(this IServiceCollection services, string role,
        IConfiguration configuration, Func<TClient, GrpcCall, IServiceProvider, TRole> create, bool hedged = false)
        where TClient : class
        where TRole : class
    {
        services.AddOptions<RemoteServiceOptions>(role)
            .Bind(configuration.GetSection(RemoteServiceOptions.Section(role)))
            .ValidateDataAnnotations()
            .Validate(o => ReplicaAddresses.Valid(o), ReplicaAddresses.Rule(RemoteServiceOptions.Section(role)))
            .Validate<IOptions<ServiceTlsOptions>>((o, tls) => ReplicaAddresses.ValidWithTls(o, tls.Value.Enabled),
                ReplicaAddresses.TlsRule(RemoteServiceOptions.Section(role)))
            .ValidateOnStart();
        ReplicaAddresses.AddResolvers(services);
        services.AddServiceToken(configuration);
        services.AddServiceTls(configuration);

        services.AddGrpcClient<TClient>(role, (sp, o) => o.Address = ReplicaAddresses.ChannelTarget(role, Options(sp, role)))
            .WithCheapHops()
            .ConfigureChannel((sp, channel) =>
            {
                var options = Options(sp, role);
                channel.ServiceProvider = sp;
                // A resolved target (dns:///, static:///) cannot say whether to use TLS; service TLS or the configured scheme
                // does. The certificates and the checks are the handler's (GrpcChannelTuning); the server name checked is the
                // host the address names (the headless Service's), which the DNS resolver keeps as each call's authority.
                if (options.Address?.Scheme is not ("http" or "https"))
                {
                    var tls = sp.GetRequiredService<ServiceTls>().Enabled;
                    channel.Credentials = ReplicaAddresses.UsesTls(options, tls) ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure;
                }
                // Round-robin spreads calls over every replica (one HTTP/2 connection would otherwise pin this process
                // to one pod) and picks only those connected, so a dead replica is skipped at once.
                channel.ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } };
                // A replica that went away is tried again at most this far apart, so a restarted one soon takes traffic.
                channel.MaxReconnectBackoff = options.MaxReconnectBackoff;
                channel.InitialReconnectBackoff = TimeSpan.FromMilliseconds(Math.Min(250, options.MaxReconnectBackoff.TotalMilliseconds));
                // Retries and hedging are Polly's (ServiceResilience); the channel's own would multiply them.
                channel.MaxRetryAttempts = null;
            })
            .AddServiceTokenInterceptor();

        services.AddSingleton(sp => create(
            sp.GetRequiredService<GrpcClientFactory>().CreateClient<TClient>(role),
            new GrpcCall(role, new ServiceResilience(role, Options(sp, role), hedged, sp.GetRequiredService<ILoggerFactory>())), sp));
        return services;
    }

    private static RemoteServiceOptions Options(IServiceProvider services, string role) =>
        services.GetRequiredService<IOptionsMonitor<RemoteServiceOptions>>().Get(role);
}
