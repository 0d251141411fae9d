using RagSuite.Contracts.V1;
using RagSuite.Core.Roles;

namespace RagSuite.Core.Remote;

/// <summary>The generator role served by a remote generator host; the answer streams as it is written.</summary>
internal sealed class GrpcGeneratorClient(Generator.GeneratorClient client, GrpcCall call) : IGenerator
{
    public IAsyncEnumerable<GenerateEvent> GenerateAsync(GenerateRequest request, CancellationToken cancellationToken) =>
        call.StreamAsync(o => client.Generate(request, o), cancellationToken);

    public Task<GeneratorInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        call.UnaryAsync(CallKind.Read, o => client.GetInfoAsync(new GetGeneratorInfoRequest(), o), cancellationToken);
}
