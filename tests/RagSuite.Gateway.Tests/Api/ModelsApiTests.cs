namespace RagSuite.Gateway.Tests.Api;

/// <summary><c>GET /v1/models</c> is both RagSuite's model list and OpenAI's, with one <c>rag:&lt;collection&gt;</c> model per collection.</summary>
public sealed class ModelsApiTests(EmbeddedDocsSuite suite) : IClassFixture<EmbeddedDocsSuite>
{
    private readonly HttpClient _client = suite.CreateClient();

    [Fact]
    public async Task Models_lists_a_rag_model_per_collection_beside_the_embedding_and_reranking_models()
    {
        var other = $"m-{Guid.NewGuid():N}"[..12];
        await _client.CreateCollectionAsync(other);

        var (status, body) = await _client.SendJsonAsync(HttpMethod.Get, "/v1/models");

        Assert.Equal(200, status);
        Assert.Equal("list", body!["object"]!.GetValue<string>());
        var data = body["data"]!.AsArray();
        Assert.Contains(EmbeddedDocsSuite.Model, data.Strings("id"));
        Assert.Contains($"rag:{other}", data.Strings("id"));
        Assert.All(data, m =>
        {
            Assert.Equal("model", m!["object"]!.GetValue<string>());
            Assert.Equal("ragsuite", m["owned_by"]!.GetValue<string>());
            Assert.InRange(m["created"]!.GetValue<long>(), DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        });
        // RagSuite's own fields are still there.
        Assert.Equal("none", body["auto_rerank"]!.GetValue<string>());
        Assert.Contains(body["models"]!.AsArray(), m => m!["role"]!.GetValue<string>() == "sparse");
    }

    [Fact]
    public async Task A_rag_model_is_read_by_id_and_an_unknown_one_is_404_with_the_openai_error_member()
    {
        var (found, model) = await _client.SendJsonAsync(HttpMethod.Get, "/v1/models/rag:docs");
        var (hinted, withHint) = await _client.SendJsonAsync(HttpMethod.Get, "/v1/models/rag:docs:fast");
        var (missing, problem) = await _client.SendJsonAsync(HttpMethod.Get, "/v1/models/rag:nope");
        var (foreign, notOurs) = await _client.SendJsonAsync(HttpMethod.Get, "/v1/models/gpt-4");

        Assert.Equal(200, found);
        Assert.Equal(("rag:docs", "model", "ragsuite"), (model!["id"]!.GetValue<string>(), model["object"]!.GetValue<string>(), model["owned_by"]!.GetValue<string>()));
        Assert.Equal(200, hinted);
        Assert.Equal("rag:docs:fast", withHint!["id"]!.GetValue<string>());
        Assert.Equal(404, missing);
        Assert.Equal(("not_found_error", "model", "model_not_found"),
            (problem!["error"]!["type"]!.GetValue<string>(), problem["error"]!["param"]!.GetValue<string>(), problem["error"]!["code"]!.GetValue<string>()));
        Assert.Contains("nope", problem["detail"]!.GetValue<string>());
        Assert.Equal(404, foreign);
        Assert.Contains("rag:<collection>", notOurs!["error"]!["message"]!.GetValue<string>());
    }
}
