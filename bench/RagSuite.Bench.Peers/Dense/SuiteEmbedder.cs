using Grpc.Net.Client;
using RagSuite.Bench.Peers.Data;
using RagSuite.Contracts.V1;

namespace RagSuite.Bench.Peers.Dense;

/// <summary>
/// RagSuite's embedder service over gRPC: texts in, the default model's dense vectors out. A few calls are kept in
/// flight so the service's dynamic batching has work to combine.
/// </summary>
public sealed class SuiteEmbedder(Uri address) : IDisposable
{
    private const int InFlight = 4;

    private readonly GrpcChannel _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 * 1024 });

    public async Task<EmbedderInfo> InfoAsync(CancellationToken cancellationToken) =>
        await new Embedder.EmbedderClient(_channel).GetInfoAsync(new GetEmbedderInfoRequest(), cancellationToken: cancellationToken);

    public async Task<VectorSet> EmbedAsync(IReadOnlyList<string> texts, InputKind kind, int batchSize, Action<int> progress,
        CancellationToken cancellationToken)
    {
        var client = new Embedder.EmbedderClient(_channel);
        var info = await InfoAsync(cancellationToken);
        if (info.DenseDimension == 0)
        {
            throw new InvalidOperationException($"The embedder has no dense model: {info.DenseUnavailableReason}");
        }
        var dimension = info.DenseDimension;
        var size = info.MaxBatchSize > 0 ? Math.Min(batchSize, info.MaxBatchSize) : batchSize;
        var data = new float[texts.Count * dimension];
        var batches = Enumerable.Range(0, (texts.Count + size - 1) / size);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = InFlight, CancellationToken = cancellationToken },
            async (batch, token) =>
            {
                var request = new EmbedRequest { Kind = kind };
                request.Texts.AddRange(texts.Skip(batch * size).Take(size));
                var response = await client.EmbedAsync(request, cancellationToken: token);
                for (var i = 0; i < response.Embeddings.Count; i++)
                {
                    var dense = response.Embeddings[i].Dense;
                    if (dense.Count != dimension) throw new InvalidDataException($"The embedder returned {dense.Count} dimensions, not {dimension}.");
                    dense.CopyTo(data, (batch * size + i) * dimension);
                }
                progress(response.Embeddings.Count);
            });
        return new VectorSet(texts.Count, dimension, data);
    }

    public void Dispose() => _channel.Dispose();
}
