using System.ClientModel;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Models;

namespace RagSuite.Gateway.Tests.Auth;

/// <summary>
/// The REST API behind a key file: who gets in (401), what each key may do (403), how fast (429), what a tenant-bound
/// key can see, and a key file changed under a running gateway.
/// </summary>
public sealed class ApiKeyTests(AuthSuite suite) : IClassFixture<AuthSuite>
{
    private static readonly TimeSpan ReloadWait = TimeSpan.FromSeconds(10);

    /// <summary>A request as sent, and the status it must get: who asks (null: no key), what and where.</summary>
    public sealed record AuthCase(string Name, string? Key, string Method, string Path, string? Body, int Status)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<AuthCase> Refusals =>
    [
        new("no key", null, "GET", "/v1/collections", null, 401),
        new("unknown key", "rsk_not_a_key", "GET", "/v1/collections", null, 401),
        new("a key's hash sent as the key", Gateway.Auth.ApiKeyHash.Hex(AuthSuite.Reader), "GET", "/v1/collections", null, 401),
        new("no key, chat", null, "POST", "/v1/chat/completions", """{"model": "rag:docs", "messages": [{"role": "user", "content": "x"}]}""", 401),
        new("reader, another collection", AuthSuite.Reader, "GET", "/v1/collections/other", null, 403),
        new("reader, query on another collection", AuthSuite.Reader, "POST", "/v1/query", """{"question": "x", "collection": "other"}""", 403),
        new("reader, chat on another collection", AuthSuite.Reader, "POST", "/v1/chat/completions", """{"model": "rag:other", "messages": [{"role": "user", "content": "x"}]}""", 403),
        new("reader, model of another collection", AuthSuite.Reader, "GET", "/v1/models/rag:other", null, 403),
        new("reader, another collection's documents", AuthSuite.Reader, "GET", "/v1/collections/other/documents/eiffel", null, 403),
        new("reader, ingest", AuthSuite.Reader, "POST", "/v1/collections/docs/documents", """{"documents": [{"id": "x", "text": "x"}]}""", 403),
        new("reader, delete a document", AuthSuite.Reader, "DELETE", "/v1/collections/docs/documents/eiffel", null, 403),
        new("writer, ingest into another collection", AuthSuite.Writer, "POST", "/v1/collections/other/documents", """{"documents": [{"id": "x", "text": "x"}]}""", 403),
        new("writer, create a collection", AuthSuite.Writer, "POST", "/v1/collections", """{"name": "new-by-writer"}""", 403),
        new("writer, delete a collection", AuthSuite.Writer, "DELETE", "/v1/collections/docs", null, 403),
        new("admin of docs, create another collection", AuthSuite.DocsAdmin, "POST", "/v1/collections", """{"name": "elsewhere"}""", 403),
        new("admin of docs, delete another collection", AuthSuite.DocsAdmin, "DELETE", "/v1/collections/other", null, 403),
        new("tenant key, another tenant", AuthSuite.Acme, "POST", "/v1/query", """{"question": "audit", "collection": "shared", "tenant": "globex"}""", 403),
        new("tenant key, a collection not its own", AuthSuite.Acme, "POST", "/v1/query", """{"question": "x", "collection": "docs"}""", 403),
    ];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_request_without_the_key_role_or_collection_it_needs_is_refused_with_a_problem(AuthCase test)
    {
        using var response = await SendAsync(test.Key, test.Method, test.Path, test.Body);

        Assert.Equal(test.Status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(test.Status, problem["status"]!.GetValue<int>());
        Assert.Equal(test.Status == 401 ? "unauthenticated" : "forbidden", problem["code"]!.GetValue<string>());
        if (test.Status == 401) Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        // Nothing of a key travels back.
        var body = await response.Content.ReadAsStringAsync();
        foreach (var key in new[] { AuthSuite.Reader, AuthSuite.Writer, AuthSuite.Admin, AuthSuite.DocsAdmin, AuthSuite.Acme }) Assert.DoesNotContain(key, body);
    }

    [Fact]
    public async Task The_chat_endpoint_refuses_in_the_error_shape_openai_clients_read()
    {
        using var response = await SendAsync(null, "POST", "/v1/chat/completions", """{"model": "rag:docs", "messages": [{"role": "user", "content": "x"}]}""");

        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("authentication_error", error["type"]!.GetValue<string>());
    }

    public static TheoryData<string, string, string, string?, int> Allowed => new()
    {
        { AuthSuite.Reader, "GET", "/v1/collections/docs", null, 200 },
        { AuthSuite.Reader, "POST", "/v1/query", """{"question": "How tall is the Eiffel Tower?", "collection": "docs"}""", 200 },
        { AuthSuite.Reader, "GET", "/v1/collections/docs/documents/eiffel", null, 200 },
        { AuthSuite.Writer, "POST", "/v1/collections/docs/documents", """{"documents": [{"id": "by-writer", "text": "Written by the writer."}]}""", 200 },
        { AuthSuite.Writer, "DELETE", "/v1/collections/docs/documents/by-writer", null, 204 },
        { AuthSuite.DocsAdmin, "GET", "/v1/collections/docs", null, 200 },
        { AuthSuite.Admin, "GET", "/v1/collections/other", null, 200 },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public async Task A_key_with_the_role_and_collection_is_served(string key, string method, string path, string? body, int status)
    {
        using var response = await SendAsync(key, method, path, body);

        Assert.True(status == (int)response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task The_key_is_accepted_as_a_bearer_token_in_any_case_or_as_x_api_key()
    {
        using var lower = await SendAsync(null, "GET", "/v1/collections/docs", null, r => r.Headers.TryAddWithoutValidation("Authorization", "bearer " + AuthSuite.Reader));
        using var header = await SendAsync(null, "GET", "/v1/collections/docs", null, r => r.Headers.Add("X-Api-Key", AuthSuite.Reader));

        Assert.Equal(200, (int)lower.StatusCode);
        Assert.Equal(200, (int)header.StatusCode);
    }

    [Fact]
    public async Task An_admin_key_creates_and_deletes_a_collection()
    {
        using var admin = suite.CreateClient(AuthSuite.Admin);

        var (created, _) = await admin.PostAsync("/v1/collections", new { name = "made-by-admin" });
        var (deleted, _) = await admin.SendJsonAsync(HttpMethod.Delete, "/v1/collections/made-by-admin");

        Assert.Equal(201, created);
        Assert.Equal(204, deleted);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/metrics")]
    public async Task Probes_and_metrics_need_no_key(string path)
    {
        using var client = suite.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(200, (int)response.StatusCode);
    }

    [Fact]
    public async Task Collection_and_model_lists_show_only_the_key_s_collections()
    {
        using var reader = suite.CreateClient(AuthSuite.Reader);
        using var admin = suite.CreateClient(AuthSuite.Admin);

        var readerCollections = (await reader.SendJsonAsync(HttpMethod.Get, "/v1/collections")).Body!["collections"].Strings("name");
        var adminCollections = (await admin.SendJsonAsync(HttpMethod.Get, "/v1/collections")).Body!["collections"].Strings("name");
        var readerModels = (await reader.SendJsonAsync(HttpMethod.Get, "/v1/models")).Body!["data"].Strings("id");

        Assert.Equal(["docs"], readerCollections);
        Assert.Superset(new HashSet<string> { "docs", "other", AuthSuite.Shared }, adminCollections.ToHashSet());
        Assert.Equal(["rag:docs"], readerModels);
    }

    [Fact]
    public async Task A_tenant_bound_key_never_sees_another_tenant_s_chunks_whatever_it_asks()
    {
        using var acme = suite.CreateClient(AuthSuite.Acme);
        var seed = Environment.TickCount;
        var random = new Random(seed);

        var seen = new HashSet<string>();
        for (var i = 0; i < 25; i++)
        {
            var question = string.Join(' ', Enumerable.Range(0, random.Next(1, 5)).Select(_ => AuthSuite.Words[random.Next(AuthSuite.Words.Length)]));
            // Half name the key's own tenant, half name none: both are scoped to it.
            object body = random.Next(2) == 0
                ? new { question, collection = AuthSuite.Shared, top_k = 50, generate = false, tenant = "acme" }
                : new { question, collection = AuthSuite.Shared, top_k = 50, generate = false };
            var results = (await acme.QueryAsync(body))["results"].Strings("document_id");
            Assert.All(results, id => Assert.True(id.StartsWith("acme-", StringComparison.Ordinal), $"seed {seed}: '{question}' returned {id}"));
            seen.UnionWith(results);
        }
        var chat = await acme.PostOkAsync("/v1/chat/completions",
            new { model = "rag:shared", messages = new[] { new { role = "user", content = string.Join(' ', AuthSuite.Words) } } });

        Assert.NotEmpty(seen); // the queries did find documents: the absence of other tenants' is not an empty answer
        Assert.All(chat["citations"]!.AsArray(), c => Assert.StartsWith("acme-", c!["document_id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_key_over_its_rate_gets_429_with_retry_after()
    {
        var responses = new List<HttpResponseMessage>();
        try
        {
            // The limited key's bucket holds 2 and refills 1 a second: 6 requests at once cannot all pass.
            for (var i = 0; i < 6; i++) responses.Add(await SendAsync(AuthSuite.Limited, "GET", "/v1/collections", null));

            var refused = responses.FirstOrDefault(r => (int)r.StatusCode == 429);
            Assert.NotNull(refused);
            Assert.Contains(responses, r => (int)r.StatusCode == 200);
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {refused.Headers.RetryAfter}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Equal("resource-exhausted", JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["code"]!.GetValue<string>());
        }
        finally
        {
            foreach (var response in responses) response.Dispose();
        }
    }

    [Fact]
    public async Task A_key_with_as_many_requests_in_flight_as_it_may_gets_429_until_one_finishes()
    {
        // The one-at-a-time key may have one request in flight: an ingestion whose body is held back stays in flight.
        using var client = suite.CreateClient(AuthSuite.OneAtATime);
        var refused = false;
        TaskCompletionSource release = null!;
        Task<HttpResponseMessage> held = null!;
        // A probe can overlap the held request's arrival and take its place (the held one is then refused): start again.
        for (var attempt = 0; attempt < 5 && !refused; attempt++)
        {
            if (held is not null) await DiscardAsync(held);
            release = new TaskCompletionSource();
            held = client.PostAsync("/v1/collections/docs/documents", new HeldBackContent(release.Task));
            await Task.Delay(200);
            var clock = Stopwatch.StartNew();
            while (!refused && !held.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(5)) refused = await StatusAsync(AuthSuite.OneAtATime) == 429;
        }
        release.SetResult();
        using var finished = await held;
        var afterwards = await StatusAsync(AuthSuite.OneAtATime);

        Assert.True(refused, "a second request was not refused while the first was in flight");
        Assert.Equal(200, (int)finished.StatusCode);
        Assert.Equal(200, afterwards);
    }

    [Fact]
    public async Task A_rewritten_key_file_takes_effect_without_a_restart_and_a_bad_one_is_ignored()
    {
        const string added = "rsk_test_added";
        try
        {
            Assert.Equal(200, await StatusAsync(AuthSuite.Revocable));

            suite.WriteKeys([.. AuthSuite.Keys.Where(k => !JsonSerializer.Serialize(k).Contains("\"revocable\"")),
                AuthSuite.Entry("added", added, ["docs"], "read")]);
            var revoked = await WaitForAsync(AuthSuite.Revocable, 401);
            var admitted = await WaitForAsync(added, 200);

            File.WriteAllText(suite.KeysFile, """{"keys": [{"name": "broken", "sha256": "not hex""");
            await Task.Delay(TimeSpan.FromSeconds(1)); // ten reload periods
            var afterBadFile = await StatusAsync(added);
            var revokedStill = await StatusAsync(AuthSuite.Revocable);

            Assert.True(revoked, "the revoked key was still accepted after the file was rewritten");
            Assert.True(admitted, "the added key was not accepted after the file was rewritten");
            Assert.Equal(200, afterBadFile);
            Assert.Equal(401, revokedStill);
        }
        finally
        {
            suite.WriteKeys(AuthSuite.Keys);
            await WaitForAsync(AuthSuite.Revocable, 200);
        }
    }

    [Fact]
    public async Task The_openai_dotnet_sdk_works_with_a_key_as_its_api_key_and_fails_without_one()
    {
        var options = new OpenAIClientOptions { Endpoint = new Uri(suite.Gateway.HttpAddress, "v1"), RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) };
        var chat = new ChatClient("rag:docs", new ApiKeyCredential(AuthSuite.Reader), options);
        var models = new OpenAIModelClient(new ApiKeyCredential(AuthSuite.Reader), options);
        var stranger = new ChatClient("rag:docs", new ApiKeyCredential("rsk_not_a_key"), options);

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("How tall is the Eiffel Tower?")]);
        var streamed = new StringBuilder();
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("How tall is the Eiffel Tower?")]))
        {
            foreach (var part in update.ContentUpdate) streamed.Append(part.Text);
        }
        OpenAIModelCollection listed = await models.GetModelsAsync();
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => stranger.CompleteChatAsync([new UserChatMessage("x")]));

        Assert.Contains("Eiffel Tower", completion.Content.Single().Text);
        Assert.Equal(completion.Content.Single().Text, streamed.ToString());
        Assert.Equal(["rag:docs"], listed.Select(m => m.Id));
        Assert.Equal(401, refused.Status);
    }

    private async Task<HttpResponseMessage> SendAsync(string? key, string method, string path, string? body, Action<HttpRequestMessage>? configure = null)
    {
        using var client = suite.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        configure?.Invoke(request);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private async Task<int> StatusAsync(string key)
    {
        using var response = await SendAsync(key, "GET", "/v1/collections/docs", null);
        return (int)response.StatusCode;
    }

    /// <summary>Waits out a held request that was refused: its 429 came back, or the connection was reset under its body.</summary>
    private static async Task DiscardAsync(Task<HttpResponseMessage> request)
    {
        try
        {
            (await request).Dispose();
        }
        catch (HttpRequestException)
        {
        }
    }

    /// <summary>A JSON ingestion body that sends its first bytes, then waits for <paramref name="release"/> to send the rest.</summary>
    private sealed class HeldBackContent : HttpContent
    {
        private readonly Task _release;

        public HeldBackContent(Task release)
        {
            _release = release;
            Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync("{\"documents\": ["u8.ToArray());
            await stream.FlushAsync();
            await _release;
            await stream.WriteAsync("""{"id": "held", "text": "Sent late."}]}"""u8.ToArray());
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>Whether <paramref name="key"/> gets <paramref name="status"/> within <see cref="ReloadWait"/>.</summary>
    private async Task<bool> WaitForAsync(string key, int status)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < ReloadWait)
        {
            if (await StatusAsync(key) == status) return true;
            await Task.Delay(50);
        }
        return false;
    }
}
