using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using RagSuite.Testing;

namespace RagSuite.Core.Tests.Remote;

/// <summary>
/// Server reflection follows RagSuite:Hosting:GrpcReflection: off, as in every cluster environment but dev, a reflection
/// call is UNIMPLEMENTED and nothing else changes; on, it lists the host's services.
/// </summary>
public sealed class GrpcReflectionTests
{
    [Fact]
    public async Task With_reflection_off_a_reflection_call_is_unimplemented_and_health_still_answers()
    {
        await using var replica = await Replica.StartAsync(settings: "RagSuite:Hosting:GrpcReflection=false");
        using var channel = GrpcChannel.ForAddress(replica.Address);

        var refused = await Assert.ThrowsAsync<RpcException>(() => GrpcServiceChecks.ListServicesAsync(channel));

        Assert.Equal(StatusCode.Unimplemented, refused.StatusCode);
        var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task With_reflection_on_a_reflection_call_lists_the_services()
    {
        await using var replica = await Replica.StartAsync(settings: GrpcServiceChecks.ReflectionOn);
        using var channel = GrpcChannel.ForAddress(replica.Address);

        var services = await GrpcServiceChecks.ListServicesAsync(channel);

        Assert.Contains("ragsuite.v1.Reranker", services);
        Assert.Contains("ragsuite.v1.Retriever", services);
        Assert.Contains("grpc.health.v1.Health", services);
    }
}
