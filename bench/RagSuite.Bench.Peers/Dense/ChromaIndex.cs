using System.Net.Http.Headers;
using System.Text.Json;
using RagSuite.Bench.Peers.Data;
using RagSuite.Bench.Peers.Measurement;

namespace RagSuite.Bench.Peers.Dense;

/// <summary>
/// A Chroma collection through Chroma's v2 REST API, the one its own clients call (the routes and payloads below
/// are those of chromadb 3.0.9's generated client, <c>src/api/sdk.gen.ts</c>): create with an HNSW configuration
/// (space <c>ip</c>, max_neighbors = M, ef_construction, ef_search), add embeddings in batches, query one
/// embedding per request for the top k ids. Lives in the default tenant and database.
/// </summary>
public sealed class ChromaIndex : IDisposable
{
    private const string Database = "api/v2/tenants/default_tenant/databases/default_database";

    private readonly HttpClient _http;
    private string? _id;

    public ChromaIndex(Uri server, string name)
    {
        _http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromMinutes(30) };
        Name = name;
    }

    public string Name { get; }

    public async Task RecreateAsync(int m, int efConstruction, int efSearch, CancellationToken cancellationToken)
    {
        using (await _http.DeleteAsync($"{Database}/collections/{Name}", cancellationToken)) { }
        var body = new
        {
            name = Name,
            configuration = new { hnsw = new { space = "ip", max_neighbors = m, ef_construction = efConstruction, ef_search = efSearch } },
        };
        using var response = await _http.PostAsync($"{Database}/collections", Content(JsonSerializer.SerializeToUtf8Bytes(body)), cancellationToken);
        _id = (await ReadAsync(response, cancellationToken)).GetProperty("id").GetString();
    }

    /// <summary>The largest add the server takes, from its pre-flight checks.</summary>
    public async Task<int> MaxBatchAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync("api/v2/pre-flight-checks", cancellationToken);
        return (await ReadAsync(response, cancellationToken)).GetProperty("max_batch_size").GetInt32();
    }

    public async Task AddAsync(VectorSet vectors, int batchSize, CancellationToken cancellationToken)
    {
        for (var start = 0; start < vectors.Count; start += batchSize)
        {
            var end = Math.Min(vectors.Count, start + batchSize);
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteStartArray("ids");
                for (var row = start; row < end; row++) json.WriteStringValue(DenseIds.Of(row));
                json.WriteEndArray();
                json.WriteStartArray("embeddings");
                for (var row = start; row < end; row++) WriteVector(json, vectors[row]);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            using var response = await _http.PostAsync($"{Database}/collections/{_id}/add", Content(buffer.ToArray()), cancellationToken);
            await ReadAsync(response, cancellationToken);
        }
    }

    /// <summary>Sets the search breadth; it applies once the server has been restarted.</summary>
    public async Task SetEfSearchAsync(int efSearch, CancellationToken cancellationToken)
    {
        var body = new { new_configuration = new { hnsw = new { ef_search = efSearch } } };
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{Database}/collections/{_id}") { Content = Content(JsonSerializer.SerializeToUtf8Bytes(body)) };
        using var response = await _http.SendAsync(request, cancellationToken);
        await ReadAsync(response, cancellationToken);
    }

    public ISearchTarget Searcher(string name, VectorSet queries, int topK) => new Target(this, name, queries, topK);

    public void Dispose() => _http.Dispose();

    private static void WriteVector(Utf8JsonWriter json, ReadOnlySpan<float> vector)
    {
        json.WriteStartArray();
        foreach (var value in vector) json.WriteNumberValue(value);
        json.WriteEndArray();
    }

    private static ByteArrayContent Content(byte[] json)
    {
        var content = new ByteArrayContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Chroma: {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {text}");
        }
        return JsonDocument.Parse(text).RootElement;
    }

    private sealed class Target(ChromaIndex collection, string name, VectorSet queries, int topK) : ISearchTarget, ISearchSession
    {
        public string Name => name;

        // HttpClient pools connections across clients, as a user's application would share it.
        public ISearchSession OpenSession() => this;

        public async ValueTask<SearchOutcome> SearchAsync(int query, CancellationToken cancellationToken)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteStartArray("query_embeddings");
                WriteVector(json, queries[query]);
                json.WriteEndArray();
                json.WriteNumber("n_results", topK);
                json.WriteStartArray("include");
                json.WriteStringValue("distances");
                json.WriteEndArray();
                json.WriteEndObject();
            }
            using var response = await collection._http.PostAsync($"{Database}/collections/{collection._id}/query", Content(buffer.ToArray()), cancellationToken);
            var ids = (await ReadAsync(response, cancellationToken)).GetProperty("ids")[0];
            return new SearchOutcome([.. ids.EnumerateArray().Select(i => i.GetString()!)]);
        }

        public void Dispose() { }
    }
}
