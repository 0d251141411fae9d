using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RagSuite.Embedder;
using RagSuite.Generator;
using RagSuite.Reranker;
using RagSuite.Retriever;
using RagSuite.Testing;

namespace RagSuite.Gateway.Tests;

/// <summary>
/// The four services on loopback, started once, with <see cref="TestDocuments.All"/> ingested into <c>docs</c>. Each
/// test starts its own gateway in front of them with one service down: a service that is down is an address nothing
/// listens on, which is what a gateway sees of a stopped host (and <see cref="DegradationTests"/> also stops one).
/// </summary>
public sealed class DegradationSuite : IAsyncLifetime
{
    public const string Collection = "docs";

    private readonly TemporaryDirectory _data = new("ragsuite-degradation");
    private readonly Dictionary<string, RunningHost> _services = [];

    public async Task InitializeAsync()
    {
        _services["Embedder"] = await RunningHost.StartAsync(EmbedderHost.Build, "RagSuite:Embedder:Model=");
        _services["Retriever"] = await RunningHost.StartAsync(RetrieverHost.Build, $"RagSuite:Retriever:DataDirectory={_data.Path}");
        _services["Reranker"] = await RunningHost.StartAsync(RerankerHost.Build);
        _services["Generator"] = await RunningHost.StartAsync(GeneratorHost.Build);
        await using var gateway = await StartGatewayAsync();
        using var client = gateway.CreateHttpClient();
        await client.CreateCollectionAsync(Collection);
        await client.IngestAsync(Collection, TestDocuments.All);
    }

    /// <summary>A gateway calling the suite's services, with <paramref name="overrides"/> (role → address) replacing some.</summary>
    public Task<RunningHost> StartGatewayAsync(params (string Role, Uri Address)[] overrides) => StartGatewayAsync(overrides, []);

    /// <summary>As <see cref="StartGatewayAsync((string Role, Uri Address)[])"/>, with more <paramref name="settings"/>.</summary>
    public Task<RunningHost> StartGatewayAsync((string Role, Uri Address)[] overrides, params string[] settings)
    {
        var addresses = _services.ToDictionary(s => s.Key, s => s.Value.GrpcAddress);
        foreach (var (role, address) in overrides) addresses[role] = address;
        return RunningHost.StartAsync(GatewayHost.Build, [.. addresses.Select(a => $"RagSuite:Services:{a.Key}:Address={a.Value}"), .. settings]);
    }

    /// <summary>A gateway whose <paramref name="role"/> is down.</summary>
    public Task<RunningHost> StartGatewayWithoutAsync(string role) => StartGatewayAsync((role, Nowhere()));

    public static Uri Nowhere() => new($"http://127.0.0.1:{FreePorts.Next()}");

    public async Task DisposeAsync()
    {
        foreach (var service in _services.Values) await service.DisposeAsync();
        _data.Dispose();
    }
}

/// <summary>
/// The degradation ladder in distributed mode: with the reranker, generator or embedder down a query still answers,
/// poorer, and says which service fell back to what; with the retriever down it is a 503 that names the retriever and
/// says when to retry; readiness stays up unless the retriever is down.
/// </summary>
public sealed class DegradationTests(DegradationSuite suite) : IClassFixture<DegradationSuite>
{
    private static readonly object Question = new { question = "When was the Eiffel Tower completed?", collection = DegradationSuite.Collection };

    [Fact]
    public async Task With_every_service_up_nothing_is_degraded_and_every_role_is_ready()
    {
        await using var gateway = await suite.StartGatewayAsync();
        using var client = gateway.CreateHttpClient();

        var answer = await client.QueryAsync(Question);

        Assert.Null(answer["degraded"]);
        var ready = await ReadinessAsync(client, 200);
        Assert.Equal("Healthy", ready["status"]!.GetValue<string>());
        Assert.All(["embedder", "retriever", "reranker", "generator"], role => Assert.Equal("ready", ready["roles"]![role]!["state"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_reranker_that_stops_leaves_the_candidates_in_retrieval_order()
    {
        await using var reranker = await RunningHost.StartAsync(RerankerHost.Build);
        await using var gateway = await suite.StartGatewayAsync(("Reranker", reranker.GrpcAddress));
        using var client = gateway.CreateHttpClient();
        // Lexical reranking asked for explicitly: with no cross-encoder, "auto" would run none and prove nothing.
        var reranked = new { question = "When was the Eiffel Tower completed?", collection = DegradationSuite.Collection, rerank = "lexical" };
        var before = await client.QueryAsync(reranked);
        Assert.Null(before["degraded"]);
        Assert.Equal("lexical", before["retrieval"]!["rerank"]!.GetValue<string>());

        await reranker.DisposeAsync();
        var answer = await client.QueryAsync(reranked);

        var degraded = Single(answer, "reranker", "retrieval-order");
        Assert.Equal("The reranker is unavailable.", degraded["reason"]!.GetValue<string>());
        Assert.Equal("none", answer["retrieval"]!["rerank"]!.GetValue<string>());
        var results = answer["results"]!.AsArray();
        Assert.All(results, r => Assert.Equal(r!["retrieval_score"]!.GetValue<float>(), r["score"]!.GetValue<float>()));
        Assert.Contains("1889", answer["answer"]!.GetValue<string>());
        Assert.Equal("unavailable", (await ReadinessAsync(client, 200))["roles"]!["reranker"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_reranker_past_its_deadline_leaves_the_candidates_in_retrieval_order()
    {
        await using var reranker = await RunningHost.StartAsync(SlowReranker.Build);
        await using var gateway = await suite.StartGatewayAsync([("Reranker", reranker.GrpcAddress)], "RagSuite:Services:Reranker:Timeout=00:00:00.500");
        using var client = gateway.CreateHttpClient();

        var answer = await client.QueryAsync(new { question = "When was the Eiffel Tower completed?", collection = DegradationSuite.Collection, rerank = "lexical" });

        var degraded = Single(answer, "reranker", "retrieval-order");
        Assert.Equal("The reranker did not answer in time.", degraded["reason"]!.GetValue<string>());
        Assert.True(answer["timings_ms"]!["rerank"]!.GetValue<double>() < SlowReranker.Delay.TotalMilliseconds);
        Assert.Contains("1889", answer["answer"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_the_generator_the_gateway_writes_an_extractive_answer_itself()
    {
        await using var gateway = await suite.StartGatewayWithoutAsync("Generator");
        using var client = gateway.CreateHttpClient();

        var answer = await client.QueryAsync(Question);

        Single(answer, "generator", "extractive");
        Assert.Equal("extractive", answer["mode"]!.GetValue<string>());
        Assert.Contains("1889", answer["answer"]!.GetValue<string>());
        Assert.NotEmpty(answer["citations"]!.AsArray());

        var events = await client.QueryStreamAsync(new { question = "When was the Eiffel Tower completed?", collection = DegradationSuite.Collection, stream = true });
        var done = Assert.Single(events, e => e.Type == "done").Data;
        Single(done, "generator", "extractive");
        Assert.Contains("1889", string.Concat(events.Where(e => e.Type == "delta").Select(e => e.Data["text"]!.GetValue<string>())));

        var (status, completion) = await client.PostAsync("/v1/chat/completions",
            new { model = $"rag:{DegradationSuite.Collection}", messages = new[] { new { role = "user", content = "When was the Eiffel Tower completed?" } } });
        Assert.Equal(200, status);
        Single(completion!["ragsuite"]!, "generator", "extractive");
    }

    [Fact]
    public async Task Without_the_embedder_retrieval_is_sparse_only_on_terms_the_gateway_encodes()
    {
        await using var gateway = await suite.StartGatewayWithoutAsync("Embedder");
        using var client = gateway.CreateHttpClient();

        var answer = await client.QueryAsync(Question);

        Single(answer, "embedder", "sparse-only");
        Assert.Equal("sparse", answer["retrieval"]!["mode"]!.GetValue<string>());
        Assert.Contains("1889", answer["answer"]!.GetValue<string>());
        var ready = await ReadinessAsync(client, 200);
        Assert.Equal("Degraded", ready["status"]!.GetValue<string>());
        Assert.Equal("unavailable", ready["roles"]!["embedder"]!["state"]!.GetValue<string>());
        Assert.Equal("The embedder is unavailable.", ready["roles"]!["embedder"]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_client_error_from_a_service_is_not_degraded_but_reaches_the_caller()
    {
        await using var gateway = await suite.StartGatewayAsync();
        using var client = gateway.CreateHttpClient();

        var (missing, notFound) = await client.PostAsync("/v1/query", new { question = "Eiffel", collection = "no-such-collection" });
        var (refused, invalid) = await client.PostAsync("/v1/query",
            new { question = "When was the Eiffel Tower completed?", collection = DegradationSuite.Collection, generation = new { template = "no-such-template" } });

        Assert.Equal(404, missing);
        Assert.Equal("not-found", notFound!["code"]!.GetValue<string>());
        Assert.Equal(422, refused);
        Assert.Contains("template", invalid!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_only_the_retriever_up_the_gateway_still_answers_and_stays_ready()
    {
        await using var gateway = await suite.StartGatewayAsync(("Embedder", DegradationSuite.Nowhere()), ("Reranker", DegradationSuite.Nowhere()),
            ("Generator", DegradationSuite.Nowhere()));
        using var client = gateway.CreateHttpClient();

        var answer = await client.QueryAsync(Question);

        Assert.Equal(["embedder", "reranker", "generator"], answer["degraded"].Strings("service"));
        Assert.Equal(["sparse-only", "retrieval-order", "extractive"], answer["degraded"].Strings("fallback"));
        Assert.Contains("1889", answer["answer"]!.GetValue<string>());
        var ready = await ReadinessAsync(client, 200);
        Assert.Equal("ready", ready["roles"]!["retriever"]!["state"]!.GetValue<string>());
        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("ragsuite_gateway_degraded", metrics);
        Assert.Contains("fallback=\"sparse-only\"", metrics);
    }

    [Fact]
    public async Task Without_the_retriever_a_query_is_503_naming_it_with_a_retry_hint_and_no_address()
    {
        var nowhere = DegradationSuite.Nowhere();
        await using var gateway = await suite.StartGatewayAsync(("Retriever", nowhere));
        using var client = gateway.CreateHttpClient();

        using var response = await client.PostAsJsonAsync("/v1/query", Question);

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        Assert.InRange(response.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        var body = await response.Content.ReadAsStringAsync();
        var problem = JsonNode.Parse(body)!;
        Assert.Equal("The retriever is unavailable.", problem["detail"]!.GetValue<string>());
        Assert.DoesNotContain("127.0.0.1", body);
        Assert.DoesNotContain(nowhere.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), body);

        var ready = await ReadinessAsync(client, 503);
        Assert.Equal("Unhealthy", ready["status"]!.GetValue<string>());
        Assert.Equal("unavailable", ready["roles"]!["retriever"]!["state"]!.GetValue<string>());
        Assert.Equal("ready", ready["roles"]!["embedder"]!["state"]!.GetValue<string>());
        Assert.DoesNotContain("127.0.0.1", ready.ToJsonString());
    }

    private static JsonNode Single(JsonNode answer, string service, string fallback)
    {
        var degraded = Assert.Single(answer["degraded"]!.AsArray())!;
        Assert.Equal(service, degraded["service"]!.GetValue<string>());
        Assert.Equal(fallback, degraded["fallback"]!.GetValue<string>());
        Assert.DoesNotContain("127.0.0.1", degraded["reason"]!.GetValue<string>());
        return degraded;
    }

    private static async Task<JsonNode> ReadinessAsync(HttpClient client, int expected)
    {
        using var response = await client.GetAsync("/readyz");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == (int)response.StatusCode, $"/readyz: expected {expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }
}
