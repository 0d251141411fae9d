using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RagSuite.Gateway.Tests;

/// <summary>Small helpers for driving the REST API from tests with raw JSON.</summary>
internal static class GatewayClientExtensions
{
    public static async Task<(int Status, JsonNode? Body)> SendJsonAsync(this HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            var text = body as string ?? JsonSerializer.Serialize(body);
            request.Content = new StringContent(text, Encoding.UTF8, "application/json");
        }
        using var response = await client.SendAsync(request);
        var content = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, content.Length > 0 && content.TrimStart()[0] is '{' or '[' ? JsonNode.Parse(content) : null);
    }

    public static Task<(int Status, JsonNode? Body)> PostAsync(this HttpClient client, string path, object body) =>
        client.SendJsonAsync(HttpMethod.Post, path, body);

    public static async Task<JsonNode> PostOkAsync(this HttpClient client, string path, object body)
    {
        var (status, json) = await client.PostAsync(path, body);
        Assert.True(status is 200 or 201, $"POST {path} returned {status}: {json}");
        return json!;
    }

    public static async Task CreateCollectionAsync(this HttpClient client, string name) =>
        await client.PostOkAsync("/v1/collections", new { name });

    public static async Task<JsonNode> IngestAsync(this HttpClient client, string collection, params object[] documents) =>
        await client.PostOkAsync($"/v1/collections/{collection}/documents", new { documents });

    public static async Task<JsonNode> QueryAsync(this HttpClient client, object body) => await client.PostOkAsync("/v1/query", body);

    public static async Task<List<(string Type, JsonNode Data)>> QueryStreamAsync(this HttpClient client, object body)
    {
        using var response = await client.PostAsJsonAsync("/v1/query", body);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = new List<(string, JsonNode)>();
        await foreach (var item in SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync())
        {
            events.Add((item.EventType, JsonNode.Parse(item.Data)!));
        }
        return events;
    }

    public static string[] Strings(this JsonNode? array, string property) =>
        [.. array!.AsArray().Select(item => item![property]!.GetValue<string>())];

    public static string[] Strings(this JsonNode? array) => [.. array!.AsArray().Select(item => item!.GetValue<string>())];
}
