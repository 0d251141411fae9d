using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using RagSuite.Bench.Peers.Data;
using RagSuite.Bench.Peers.Measurement;

namespace RagSuite.Bench.Peers.Lexical;

/// <summary>
/// RagSuite through its REST gateway, as a user calls it: a collection with BM25 (k1, b) and chunks large enough that
/// every benchmark document is one chunk, ingested in batches; queries are <c>POST /v1/query</c> in retrieval-only
/// form (<c>mode: sparse</c>, no reranking, no generation). Each response carries the server's own time for the
/// retrieve stage (<c>timings_ms.retrieve</c>), recorded beside the client's latency.
/// </summary>
public sealed class SuiteGateway : ISearchTarget, IDisposable
{
    /// <summary>The gateway's largest chunk: every Cranfield and XQuAD document fits in one.</summary>
    private const int WholeDocumentTokens = 8192;

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly HttpClient _http;
    private readonly string _collection;
    private readonly IReadOnlyList<string> _questions;
    private readonly int _topK;

    public SuiteGateway(Uri baseUrl, string collection, IReadOnlyList<string> questions, int topK)
    {
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = baseUrl,
            Timeout = TimeSpan.FromMinutes(10),
        };
        _collection = collection;
        _questions = questions;
        _topK = topK;
    }

    public string Name { get; init; } = "ragsuite (REST)";

    /// <summary>The collection's document count and dense dimension, or null when it does not exist.</summary>
    public async Task<(long Documents, int DenseDimension)?> DescribeAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"v1/collections/{_collection}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        await EnsureSuccessAsync(response, cancellationToken);
        var view = await response.Content.ReadFromJsonAsync<CollectionView>(Json, cancellationToken);
        return (view!.DocumentCount, view.DenseDimension);
    }

    /// <summary>Drops the collection if it exists and creates it afresh.</summary>
    public async Task RecreateAsync(float k1, float b, CancellationToken cancellationToken)
    {
        using (var deleted = await _http.DeleteAsync($"v1/collections/{_collection}", cancellationToken))
        {
            if (deleted.StatusCode != HttpStatusCode.NotFound) await EnsureSuccessAsync(deleted, cancellationToken);
        }
        var body = new { Name = _collection, Bm25 = new { K1 = k1, B = b }, Chunking = new { MaxTokens = WholeDocumentTokens, OverlapTokens = 0 } };
        using var created = await _http.PostAsJsonAsync("v1/collections", body, Json, cancellationToken);
        await EnsureSuccessAsync(created, cancellationToken);
    }

    /// <summary>Ingests the corpus in batches; returns the chunks written, which must equal the documents.</summary>
    public async Task<long> IngestAsync(IEnumerable<BeirDocument> corpus, int batchSize, CancellationToken cancellationToken)
    {
        long chunks = 0;
        foreach (var batch in corpus.Chunk(batchSize))
        {
            var body = new { Documents = batch.Select(d => new { d.Id, d.Title, d.Text }) };
            using var response = await _http.PostAsJsonAsync($"v1/collections/{_collection}/documents", body, Json, cancellationToken);
            await EnsureSuccessAsync(response, cancellationToken);
            chunks += (await response.Content.ReadFromJsonAsync<IngestView>(Json, cancellationToken))!.Chunks;
        }
        return chunks;
    }

    public ISearchSession OpenSession() => new Session(this);

    public void Dispose() => _http.Dispose();

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var problem = await response.Content.ReadAsStringAsync(cancellationToken);
        throw new HttpRequestException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {problem}");
    }

    private sealed class Session(SuiteGateway gateway) : ISearchSession
    {
        public async ValueTask<SearchOutcome> SearchAsync(int query, CancellationToken cancellationToken)
        {
            var body = new
            {
                Question = gateway._questions[query],
                Collection = gateway._collection,
                TopK = gateway._topK,
                Mode = "sparse",
                Rerank = "none",
                Generate = false,
            };
            using var response = await gateway._http.PostAsJsonAsync("v1/query", body, Json, cancellationToken);
            await EnsureSuccessAsync(response, cancellationToken);
            var answer = (await response.Content.ReadFromJsonAsync<QueryView>(Json, cancellationToken))!;
            return new SearchOutcome([.. answer.Results.Select(r => r.DocumentId)], answer.TimingsMs.Retrieve);
        }

        public void Dispose() { }
    }

    private sealed record CollectionView(long DocumentCount, int DenseDimension);

    private sealed record IngestView(int Chunks);

    private sealed record QueryView(List<ResultView> Results, TimingsView TimingsMs);

    private sealed record ResultView(string DocumentId);

    private sealed record TimingsView(double Retrieve);
}
