using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;

namespace RagSuite.Retrieval.Stores.Qdrant;

/// <summary>
/// Qdrant's REST API, one method a call, over the named HttpClient <see cref="HttpClientName"/> (base address, API key
/// and resilience pipeline come from <see cref="QdrantServiceCollectionExtensions"/>). Each request says whether it
/// is idempotent (<see cref="QdrantIdempotency"/>); only those are retried. Failures surface as
/// <see cref="Core.Errors.RagSuiteException"/> (<see cref="QdrantErrors"/>).
/// </summary>
internal sealed class QdrantRestClient(IHttpClientFactory clients)
{
    public const string HttpClientName = "qdrant";

    /// <summary>Writes wait until applied and are ordered through the shard leader, so a read that follows sees them.</summary>
    private const string Durable = "?wait=true&ordering=strong";

    private static QdrantJsonContext Json => QdrantJsonContext.Default;

    /// <summary>Not idempotent: retried after a lost answer, it would find its own collection and answer 409.</summary>
    public Task CreateCollectionAsync(string name, QdrantCreateCollection body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, Collection(name), Content(body, Json.QdrantCreateCollection), Json.QdrantResponseBoolean, idempotent: false, name, cancellationToken);

    public Task<QdrantCollectionInfo> GetCollectionAsync(string name, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, Collection(name), null, Json.QdrantResponseQdrantCollectionInfo, idempotent: true, name, cancellationToken);

    /// <summary>Not idempotent: retried after a lost answer, it would answer 404 for a collection it deleted itself.</summary>
    public Task DeleteCollectionAsync(string name, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, Collection(name), null, Json.QdrantResponseBoolean, idempotent: false, name, cancellationToken);

    public async Task<IReadOnlyList<string>> ListCollectionsAsync(CancellationToken cancellationToken) =>
        [.. (await SendAsync(HttpMethod.Get, "collections", null, Json.QdrantResponseQdrantCollectionList, idempotent: true, null, cancellationToken))
            .Collections.Select(c => c.Name)];

    /// <summary>Idempotent: creating an index that exists with the same schema changes nothing.</summary>
    public Task CreatePayloadIndexAsync(string name, QdrantPayloadIndex body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, Collection(name) + "/index" + Durable, Content(body, Json.QdrantPayloadIndex), Json.QdrantResponseQdrantUpdateResult,
            idempotent: true, name, cancellationToken);

    /// <summary>Idempotent: points are written whole under ids derived from ours, so writing them twice leaves the same points.</summary>
    public Task UpsertAsync(string name, QdrantUpsert body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, Collection(name) + "/points" + Durable, Content(body, Json.QdrantUpsert), Json.QdrantResponseQdrantUpdateResult,
            idempotent: true, name, cancellationToken);

    /// <summary>Idempotent: deleting what is already gone changes nothing.</summary>
    public Task DeleteAsync(string name, QdrantDeletePoints body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, Collection(name) + "/points/delete" + Durable, Content(body, Json.QdrantDeletePoints), Json.QdrantResponseQdrantUpdateResult,
            idempotent: true, name, cancellationToken);

    /// <summary>Idempotent: setting the same fields to the same values twice leaves the same payload.</summary>
    public Task SetPayloadAsync(string name, QdrantSetPayload body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, Collection(name) + "/points/payload" + Durable, Content(body, Json.QdrantSetPayload), Json.QdrantResponseQdrantUpdateResult,
            idempotent: true, name, cancellationToken);

    // Reads below are POSTs only because their arguments are bodies; they change nothing and are retried.

    public Task<List<QdrantRecord>> RetrieveAsync(string name, QdrantRetrieve body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, Collection(name) + "/points", Content(body, Json.QdrantRetrieve), Json.QdrantResponseListQdrantRecord,
            idempotent: true, name, cancellationToken);

    public async Task<List<QdrantRecord>> QueryAsync(string name, QdrantQuery body, CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Post, Collection(name) + "/points/query", Content(body, Json.QdrantQuery), Json.QdrantResponseQdrantQueryResult,
            idempotent: true, name, cancellationToken)).Points;

    public async Task<List<List<QdrantRecord>>> QueryBatchAsync(string name, QdrantQueryBatch body, CancellationToken cancellationToken) =>
        [.. (await SendAsync(HttpMethod.Post, Collection(name) + "/points/query/batch", Content(body, Json.QdrantQueryBatch),
            Json.QdrantResponseListQdrantQueryResult, idempotent: true, name, cancellationToken)).Select(r => r.Points)];

    public async Task<long> CountAsync(string name, QdrantCount body, CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Post, Collection(name) + "/points/count", Content(body, Json.QdrantCount), Json.QdrantResponseQdrantCountResult,
            idempotent: true, name, cancellationToken)).Count;

    public Task<QdrantScrollResult> ScrollAsync(string name, QdrantScroll body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, Collection(name) + "/points/scroll", Content(body, Json.QdrantScroll), Json.QdrantResponseQdrantScrollResult,
            idempotent: true, name, cancellationToken);

    private static string Collection(string name) => "collections/" + Uri.EscapeDataString(name);

    private static JsonContent Content<T>(T body, JsonTypeInfo<T> type) => JsonContent.Create(body, type);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<QdrantResponse<T>> responseType, bool idempotent,
        string? collection, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        QdrantIdempotency.Mark(request, idempotent);
        try
        {
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode) throw await QdrantErrors.FromResponseAsync(response, collection, cancellationToken);
            var body = await response.Content.ReadFromJsonAsync(responseType, cancellationToken);
            return body is { Result: { } result } ? result : throw QdrantErrors.Unreadable(path);
        }
        catch (Exception exception) when (QdrantErrors.FromTransport(exception, cancellationToken) is { } error)
        {
            throw error;
        }
    }
}
