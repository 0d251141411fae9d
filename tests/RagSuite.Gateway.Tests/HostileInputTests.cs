using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace RagSuite.Gateway.Tests;

/// <summary>
/// The bad-input harness: every request in <see cref="HostileInputs"/> gets a 4xx (with a problem+json body
/// wherever a body can be written), never a 5xx or a dropped connection, and the gateway still answers a
/// normal query afterwards. One collection serves the whole table, so the run stays well under a minute.
/// </summary>
public abstract class HostileInputContract(SuiteFixture suite) : IAsyncLifetime
{
    private static readonly TimeSpan PerRequest = TimeSpan.FromSeconds(20);
    private readonly HttpClient _client = suite.CreateClient();
    private string _collection = "";

    public Task InitializeAsync() => InitializeAsync($"h-{Guid.NewGuid():N}"[..20]);

    private async Task InitializeAsync(string collection)
    {
        _collection = collection;
        await _client.CreateCollectionAsync(_collection);
        await _client.IngestAsync(_collection, TestDocuments.Eiffel);
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public void The_table_holds_at_least_200_cases_across_every_endpoint()
    {
        Assert.True(HostileInputs.All.Length >= 200, $"{HostileInputs.All.Length} cases");
        foreach (var endpoint in new[] { "collections", "documents", "query", "chat", "models" })
        {
            Assert.Contains(HostileInputs.All, c => c.Name.StartsWith(endpoint, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Every_hostile_request_gets_a_4xx_problem_and_the_gateway_keeps_answering()
    {
        var failures = new List<string>();
        foreach (var input in HostileInputs.All)
        {
            try
            {
                var (status, contentType, body) = input.Http is not null ? await SendAsync(input) : await SendRawAsync(input);
                var failure = Judge(input, status, contentType, body);
                if (failure is not null) failures.Add($"{input.Name}: {failure}");
            }
            catch (IOException) when (input.HalfClose)
            {
                // The client closed its side before sending the body it declared: Kestrel takes that as the
                // client having gone and aborts the request. Nobody is left to read an answer.
            }
            catch (Exception e) when (e is HttpRequestException or IOException or SocketException or TaskCanceledException)
            {
                failures.Add($"{input.Name}: no response ({e.GetType().Name}: {e.Message})");
            }
            // System.Uri resolves dot segments, even percent-encoded, before sending (RFC 3986): HttpClient's
            // DELETE /v1/collections/c/documents/%2e%2e goes out as DELETE /v1/collections/c. Put the collection back.
            if ((await _client.SendJsonAsync(HttpMethod.Get, $"/v1/collections/{_collection}")).Status == 404) await InitializeAsync(_collection);
        }

        var still = await _client.QueryAsync(new { question = "When was the Eiffel Tower completed?", collection = _collection });
        Assert.Contains("1889", still["answer"]!.GetValue<string>());
        Assert.True(failures.Count == 0, $"{failures.Count} of {HostileInputs.All.Length} failed:\n{string.Join('\n', failures)}");
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("a b")]
    [InlineData("a?b")]
    [InlineData("a#b")]
    [InlineData("a%b")]
    [InlineData("a%25b")]
    [InlineData("a+b")]
    [InlineData("a;b=c")]
    [InlineData("~a")]
    [InlineData("ünï/çødé")]
    [InlineData("docs/guide/README.md")]
    [InlineData("a..b")]
    [InlineData(".hidden")]
    [InlineData("...")]
    public async Task Every_id_ingestion_accepts_can_be_read_and_deleted_at_its_URL(string id)
    {
        await _client.IngestAsync(_collection, new { id, text = "A document with an unusual id." });
        var path = $"/v1/collections/{_collection}/documents/{string.Join('/', id.Split('/').Select(Uri.EscapeDataString))}";

        var (read, document) = await _client.SendJsonAsync(HttpMethod.Get, path);
        var (deleted, _) = await _client.SendJsonAsync(HttpMethod.Delete, path);
        var (gone, _) = await _client.SendJsonAsync(HttpMethod.Get, path);

        Assert.Equal(200, read);
        Assert.Equal(id, document!["id"]!.GetValue<string>());
        Assert.Equal(204, deleted);
        Assert.Equal(404, gone);
    }

    private static string? Judge(HostileInput input, int status, string? contentType, string body)
    {
        if (input.MayBeAccepted && status is >= 200 and < 300) return null;
        if (input.Status is { } expected ? status != expected : status is < 400 or >= 500) return $"got {status}: {Truncate(body)}";
        if (contentType != "application/problem+json") return $"got {status} with content type '{contentType}': {Truncate(body)}";
        JsonNode problem;
        try
        {
            problem = JsonNode.Parse(body)!;
        }
        catch (System.Text.Json.JsonException)
        {
            return $"got {status} with a body that is not JSON: {Truncate(body)}";
        }
        if (problem["status"]?.GetValue<int>() != status) return $"problem status {problem["status"]} differs from {status}";
        if (body.Contains("   at ", StringComparison.Ordinal)) return "a stack trace in the body";
        return null;
    }

    private async Task<(int Status, string? ContentType, string Body)> SendAsync(HostileInput input)
    {
        using var request = input.Http!(_collection);
        request.Headers.ExpectContinue = true; // as well-behaved uploaders do, so a refused body need not be sent
        using var timeout = new CancellationTokenSource(PerRequest);
        using var response = await _client.SendAsync(request, timeout.Token);
        var body = await response.Content.ReadAsStringAsync(timeout.Token);
        return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
    }

    /// <summary>Writes the bytes as they are and reads the response up to the server closing the connection.</summary>
    private async Task<(int Status, string? ContentType, string Body)> SendRawAsync(HostileInput input)
    {
        using var timeout = new CancellationTokenSource(PerRequest);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(suite.Gateway.HttpAddress.Host, suite.Gateway.HttpAddress.Port, timeout.Token);
        var stream = tcp.GetStream();
        try
        {
            await stream.WriteAsync(input.Raw!(_collection), timeout.Token);
            if (input.HalfClose) tcp.Client.Shutdown(SocketShutdown.Send);
        }
        catch (IOException)
        {
            // The server may answer and close before it has read everything sent; the answer is what counts.
        }
        using var received = new MemoryStream();
        try
        {
            await stream.CopyToAsync(received, timeout.Token);
        }
        catch (IOException) when (received.Length > 0)
        {
            // A reset after the response arrived: the response is what counts.
        }
        var text = Encoding.UTF8.GetString(received.ToArray());
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (!text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) || headerEnd < 0) throw new IOException($"no HTTP response, got '{Truncate(text)}'");
        var status = int.Parse(text.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
        var headers = text[..headerEnd].Split("\r\n");
        var contentType = headers.FirstOrDefault(h => h.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))?[13..].Split(';')[0].Trim();
        var body = text[(headerEnd + 4)..];
        var chunked = headers.Any(h => h.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase) && h.Contains("chunked", StringComparison.OrdinalIgnoreCase));
        return (status, contentType, chunked ? Dechunk(body) : body);
    }

    private static string Dechunk(string body)
    {
        var result = new StringBuilder();
        var at = 0;
        while (at < body.Length)
        {
            var lineEnd = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            if (lineEnd < 0) break;
            var size = Convert.ToInt32(body[at..lineEnd].Split(';')[0], 16);
            if (size == 0) break;
            // Sizes count bytes; problem bodies here are ASCII, so characters will do.
            result.Append(body, lineEnd + 2, Math.Min(size, body.Length - lineEnd - 2));
            at = lineEnd + 2 + size + 2;
        }
        return result.ToString();
    }

    private static string Truncate(string text) => text.Length > 300 ? text[..300] + "…" : text;
}

[Collection("embedded")]
public sealed class EmbeddedHostileInputTests(EmbeddedSuite suite) : HostileInputContract(suite), IClassFixture<EmbeddedSuite>;

[Collection("distributed")]
public sealed class DistributedHostileInputTests(DistributedSuite suite) : HostileInputContract(suite), IClassFixture<DistributedSuite>;
