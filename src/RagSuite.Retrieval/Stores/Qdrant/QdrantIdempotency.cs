namespace RagSuite.Retrieval.Stores.Qdrant;

/// <summary>
/// Marks each request idempotent or not, so the retry strategy repeats only those that leave the same state however
/// often they run: reads (GET, and the query, count, scroll and retrieve POSTs), upserts under derived ids with
/// <c>wait=true</c>, deletes and payload updates. Creating and deleting a collection are not: repeated after an answer
/// was lost, each would answer differently (409, 404) for what it did itself.
/// </summary>
internal static class QdrantIdempotency
{
    private static readonly HttpRequestOptionsKey<bool> Key = new("RagSuite.Qdrant.Idempotent");

    public static void Mark(HttpRequestMessage request, bool idempotent) => request.Options.Set(Key, idempotent);

    public static bool IsIdempotent(HttpRequestMessage? request) => request is not null && request.Options.TryGetValue(Key, out var idempotent) && idempotent;
}
