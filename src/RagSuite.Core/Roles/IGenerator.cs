using RagSuite.Contracts.V1;

namespace RagSuite.Core.Roles;

/// <summary>Writes an answer from passages as a stream of deltas ending in one result. In-process or over gRPC.</summary>
public interface IGenerator
{
    IAsyncEnumerable<GenerateEvent> GenerateAsync(GenerateRequest request, CancellationToken cancellationToken);

    Task<GeneratorInfo> GetInfoAsync(CancellationToken cancellationToken);
}
