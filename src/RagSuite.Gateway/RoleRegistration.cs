using RagSuite.Core.Remote;
using RagSuite.Embedding;
using RagSuite.Generation;
using RagSuite.Reranking;
using RagSuite.Retrieval;

namespace RagSuite.Gateway;

/// <summary>
/// Chooses, role by role, where each runs: over gRPC when <c>RagSuite:Services:{Role}:Address</c> is
/// set, in this process otherwise. All four in-process is embedded mode; all four remote is
/// distributed mode; the pipeline code is the same either way.
/// </summary>
public static class RoleRegistration
{
    public static IServiceCollection AddRagSuiteRoles(this IServiceCollection services, IConfiguration configuration)
    {
        Add(RoleNames.Embedder, () => services.AddRemoteEmbedder(configuration), () => services.AddInProcessEmbedder(configuration));
        Add(RoleNames.Retriever, () => services.AddRemoteRetriever(configuration), () => services.AddInProcessRetriever(configuration));
        Add(RoleNames.Reranker, () => services.AddRemoteReranker(configuration), () => services.AddInProcessReranker(configuration));
        Add(RoleNames.Generator, () => services.AddRemoteGenerator(configuration), () => services.AddInProcessGenerator(configuration));
        // One instance, so that it remembers each role's last state and logs only changes.
        services.AddSingleton<RolesReadinessCheck>();
        services.AddHealthChecks().AddCheck<RolesReadinessCheck>("roles");
        return services;

        void Add(string role, Action remote, Action inProcess)
        {
            if (RemoteRoleRegistration.IsRemote(configuration, role)) remote();
            else inProcess();
        }
    }
}
