using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using RagSuite.Core.Remote;

namespace RagSuite.Core.Tests.Remote;

/// <summary>The gRPC clients of the four roles as a gateway registers them, from settings given as key=value pairs.</summary>
internal static class RemoteClients
{
    public static ServiceProvider Build(params string[] settings) => Build(TimeProvider.System, settings);

    public static ServiceProvider Build(TimeProvider time, params string[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => s.Split('=', 2)).Select(p => KeyValuePair.Create(p[0], (string?)p[1])))
            .Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration).AddSingleton(time);
        if (RemoteRoleRegistration.IsRemote(configuration, RoleNames.Reranker)) services.AddRemoteReranker(configuration);
        if (RemoteRoleRegistration.IsRemote(configuration, RoleNames.Embedder)) services.AddRemoteEmbedder(configuration);
        if (RemoteRoleRegistration.IsRemote(configuration, RoleNames.Retriever)) services.AddRemoteRetriever(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    /// <summary>Settings listing <paramref name="replicas"/> as the <paramref name="role"/>'s addresses.</summary>
    public static string[] Replicas(string role, params Replica[] replicas) =>
        [.. replicas.Select((r, i) => $"{RemoteServiceOptions.Section(role)}:Addresses:{i}={r.Address}")];
}
