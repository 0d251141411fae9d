using Microsoft.Extensions.Options;

namespace RagSuite.Retrieval.Stores.Qdrant;

/// <summary>
/// Adds Qdrant's <c>api-key</c> header, read from <see cref="QdrantOptions.ApiKeyFile"/> once. The key lives only in
/// this header: never in the URL, a message or a log (HttpClient's logging redacts header values).
/// </summary>
internal sealed class QdrantApiKeyHandler(IOptions<QdrantOptions> options) : DelegatingHandler
{
    public const string Header = "api-key";

    private readonly Lazy<string?> _key = new(() =>
        options.Value.ApiKeyFile is { Length: > 0 } file ? File.ReadAllText(file).Trim() is { Length: > 0 } key ? key : null : null);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (_key.Value is { } key)
        {
            request.Headers.Remove(Header);
            request.Headers.TryAddWithoutValidation(Header, key);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
