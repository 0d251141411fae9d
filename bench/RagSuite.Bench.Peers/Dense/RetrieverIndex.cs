using Grpc.Core;
using Grpc.Net.Client;
using RagSuite.Bench.Peers.Data;
using RagSuite.Bench.Peers.Measurement;
using RagSuite.Contracts.V1;

namespace RagSuite.Bench.Peers.Dense;

/// <summary>
/// A dense collection in RagSuite's retriever, reached through its gRPC API: created with the HNSW parameters
/// (M, ef_construction, int8), filled with upserts of one point per vector, and searched dense-only with a given
/// <c>ef</c>, or <c>exact</c> for the brute-force reference.
/// </summary>
public sealed class RetrieverIndex : IDisposable
{
    public const string Model = "bench-vectors";

    private readonly GrpcChannel _channel;
    private readonly Retriever.RetrieverClient _client;

    public RetrieverIndex(Uri address, string name)
    {
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            MaxSendMessageSize = 64 * 1024 * 1024,
            MaxReceiveMessageSize = 64 * 1024 * 1024,
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        });
        _client = new Retriever.RetrieverClient(_channel);
        Name = name;
    }

    public string Name { get; }

    public async Task RecreateAsync(int dimension, DenseIndexParameters index, CancellationToken cancellationToken)
    {
        await DeleteAsync(cancellationToken);
        await _client.CreateCollectionAsync(new CreateCollectionRequest
        {
            Name = Name,
            Config = new CollectionConfig { DenseDimension = dimension, DenseModel = Model, DenseIndex = index },
        }, cancellationToken: cancellationToken);
    }

    public async Task DeleteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _client.DeleteCollectionAsync(new DeleteCollectionRequest { Name = Name }, cancellationToken: cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
        }
    }

    public async Task UpsertAsync(VectorSet vectors, int batchSize, CancellationToken cancellationToken)
    {
        for (var start = 0; start < vectors.Count; start += batchSize)
        {
            var request = new UpsertDocumentsRequest { Collection = Name, DenseModel = Model };
            for (var row = start; row < Math.Min(vectors.Count, start + batchSize); row++)
            {
                var id = DenseIds.Of(row);
                var point = new Point { Id = id, DocumentId = id };
                point.Dense.AddRange(vectors.Copy(row));
                request.Documents.Add(new DocumentWrite { DocumentId = id, ContentHash = id, Points = { point } });
            }
            await _client.UpsertDocumentsAsync(request, cancellationToken: cancellationToken);
        }
    }

    /// <summary>Searches with breadth <paramref name="ef"/> (0: the retriever's default), or exactly.</summary>
    public ISearchTarget Searcher(string name, VectorSet queries, int topK, int ef, bool exact) => new Target(this, name, queries, topK, ef, exact);

    public void Dispose() => _channel.Dispose();

    private sealed class Target(RetrieverIndex collection, string name, VectorSet queries, int topK, int ef, bool exact) : ISearchTarget, ISearchSession
    {
        public string Name => name;

        // The channel multiplexes calls, so every client shares it, as a user's application would.
        public ISearchSession OpenSession() => this;

        public async ValueTask<SearchOutcome> SearchAsync(int query, CancellationToken cancellationToken)
        {
            var request = new SearchRequest
            {
                Collection = collection.Name,
                TopK = topK,
                Fusion = FusionMode.DenseOnly,
                DenseModel = Model,
                Ef = ef,
                Exact = exact,
            };
            request.DenseQuery.AddRange(queries.Copy(query));
            var response = await collection._client.SearchAsync(request, cancellationToken: cancellationToken);
            return new SearchOutcome([.. response.Hits.Select(h => h.Point.Id)]);
        }

        public void Dispose() { }
    }
}
