using Grpc.Health.V1;
using Grpc.Net.Client;
using Grpc.Reflection.V1Alpha;
using Xunit;

namespace RagSuite.Testing;

/// <summary>What every RagSuite gRPC host must serve besides its own contract: health, reflection, metrics.</summary>
public static class GrpcServiceChecks
{
    /// <summary>
    /// The setting a host checked by <see cref="AssertStandardServicesAsync"/> is started with: reflection is off by default
    /// in a container (RagSuite:Hosting:GrpcReflection), and a test must not depend on where it runs.
    /// </summary>
    public const string ReflectionOn = "RagSuite:Hosting:GrpcReflection=true";

    public static async Task AssertStandardServicesAsync(RunningHost host, GrpcChannel channel, string service, string metric)
    {
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        var services = await ListServicesAsync(channel);
        Assert.Contains(service, services);
        Assert.Contains("grpc.health.v1.Health", services);

        using var http = host.CreateHttpClient();
        Assert.Equal("Healthy", await http.GetStringAsync("/healthz"));
        Assert.Equal("Healthy", await http.GetStringAsync("/readyz"));
        Assert.Contains(metric, await http.GetStringAsync("/metrics"));
    }

    /// <summary>The services a host lists through server reflection; an RpcException (UNIMPLEMENTED) where reflection is off.</summary>
    public static async Task<IReadOnlyList<string>> ListServicesAsync(GrpcChannel channel)
    {
        using var reflection = new ServerReflection.ServerReflectionClient(channel).ServerReflectionInfo();
        await reflection.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await reflection.RequestStream.CompleteAsync();
        Assert.True(await reflection.ResponseStream.MoveNext(CancellationToken.None));
        return [.. reflection.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name)];
    }
}
