using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using RagSuite.Gateway.Api;

namespace RagSuite.Cli;

/// <summary>Typed calls to the gateway's REST API; a problem response becomes a <see cref="GatewayException"/>.</summary>
public sealed class GatewayClient(HttpClient http)
{
    // Lenient on what it reads (a newer gateway may add fields), snake_case like the API.
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public Uri BaseAddress => http.BaseAddress!;

    public async Task<CollectionView?> FindCollectionAsync(string name, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"v1/collections/{Uri.EscapeDataString(name)}", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        return await ReadAsync<CollectionView>(response, cancellationToken);
    }

    public async Task<ModelList> ModelsAsync(CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync("v1/models", cancellationToken);
        return await ReadAsync<ModelList>(response, cancellationToken);
    }

    public async Task<CollectionView> CreateCollectionAsync(CreateCollectionBody body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("v1/collections", body, Json, cancellationToken);
        return await ReadAsync<CollectionView>(response, cancellationToken);
    }

    public async Task<IngestResponse> IngestAsync(string collection, DocumentsBody body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(DocumentsPath(collection), body, Json, cancellationToken);
        return await ReadAsync<IngestResponse>(response, cancellationToken);
    }

    public async Task<IngestResponse> UploadAsync(string collection, IReadOnlyList<(string Name, byte[] Content)> files, CancellationToken cancellationToken)
    {
        using var form = new MultipartFormDataContent();
        foreach (var (name, content) in files)
        {
            form.Add(new ByteArrayContent(content), "files", name);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, DocumentsPath(collection)) { Content = form };
        request.Headers.ExpectContinue = true; // a refused upload (too large, wrong collection) is not sent in vain
        using var response = await http.SendAsync(request, cancellationToken);
        return await ReadAsync<IngestResponse>(response, cancellationToken);
    }

    public async Task<QueryResponse> QueryAsync(QueryBody body, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("v1/query", body, Json, cancellationToken);
        return await ReadAsync<QueryResponse>(response, cancellationToken);
    }

    /// <summary>The query's Server-Sent Events as (event type, JSON data), as they arrive.</summary>
    public async IAsyncEnumerable<(string Type, JsonElement Data)> QueryStreamAsync(QueryBody body,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/query") { Content = JsonContent.Create(body with { Stream = true }, options: Json) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        await EnsureSuccessAsync(response, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken))
        {
            yield return (item.EventType, JsonDocument.Parse(item.Data).RootElement.Clone());
        }
    }

    private static string DocumentsPath(string collection) => $"v1/collections/{Uri.EscapeDataString(collection)}/documents";

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
            ?? throw new GatewayException((int)response.StatusCode, "The gateway sent an empty response.");
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        string message;
        try
        {
            using var problem = JsonDocument.Parse(text);
            var root = problem.RootElement;
            message = root.TryGetProperty("detail", out var detail) ? detail.GetString() ?? text
                : root.TryGetProperty("title", out var title) ? title.GetString() ?? text : text;
        }
        catch (JsonException)
        {
            message = text.Length > 0 ? text : response.ReasonPhrase ?? "no details";
        }
        throw new GatewayException((int)response.StatusCode, $"{(int)response.StatusCode}: {message}");
    }
}
