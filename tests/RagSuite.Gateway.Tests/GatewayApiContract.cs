using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace RagSuite.Gateway.Tests;

/// <summary>
/// The REST API's behaviour, asserted identically against the embedded suite and the distributed one
/// (gateway + four gRPC services): each mode runs every test here through its own fixture.
/// </summary>
public abstract class GatewayApiContract(SuiteFixture suite)
{
    protected HttpClient Client { get; } = suite.CreateClient();

    protected async Task<string> NewCollectionAsync(params object[] documents)
    {
        var name = $"c-{Guid.NewGuid():N}"[..20];
        await Client.CreateCollectionAsync(name);
        if (documents.Length > 0) await Client.IngestAsync(name, documents);
        return name;
    }

    [Fact]
    public async Task Collection_lifecycle_create_read_list_delete()
    {
        var (created, body) = await Client.PostAsync("/v1/collections", new { name = "lifecycle-" + Guid.NewGuid().ToString("N")[..8], chunking = new { max_tokens = 128, overlap_tokens = 16 } });
        Assert.Equal(201, created);
        var name = body!["name"]!.GetValue<string>();
        Assert.Equal(128, body["chunking"]!["max_tokens"]!.GetValue<int>());
        Assert.Equal(0.9f, body["bm25"]!["k1"]!.GetValue<float>());

        var (status, read) = await Client.SendJsonAsync(HttpMethod.Get, $"/v1/collections/{name}");
        Assert.Equal(200, status);
        Assert.Equal(0, read!["document_count"]!.GetValue<int>());

        var (_, list) = await Client.SendJsonAsync(HttpMethod.Get, "/v1/collections");
        Assert.Contains(name, list!["collections"].Strings("name"));

        var (again, conflict) = await Client.PostAsync("/v1/collections", new { name });
        Assert.Equal(409, again);
        Assert.Contains(name, conflict!["detail"]!.GetValue<string>());

        Assert.Equal(204, (await Client.SendJsonAsync(HttpMethod.Delete, $"/v1/collections/{name}")).Status);
        Assert.Equal(404, (await Client.SendJsonAsync(HttpMethod.Get, $"/v1/collections/{name}")).Status);
        Assert.Equal(404, (await Client.SendJsonAsync(HttpMethod.Delete, $"/v1/collections/{name}")).Status);
    }

    [Fact]
    public async Task A_multi_tenant_collection_answers_each_tenant_from_its_own_documents_only()
    {
        var name = $"t-{Guid.NewGuid():N}"[..20];
        var (created, body) = await Client.PostAsync("/v1/collections", new { name, tenant_key = "tenant" });
        Assert.Equal(201, created);
        Assert.Equal("tenant", body!["tenant_key"]!.GetValue<string>());
        await Client.IngestAsync(name,
            new { id = "acme-roses", text = "Roses need six hours of sun a day.", metadata = new { tenant = "acme" } },
            new { id = "globex-roses", text = "Roses need six hours of sun a day and deep watering.", metadata = new { tenant = "globex" } },
            new { id = "globex-tulips", text = "Tulips are planted in autumn.", metadata = new { tenant = "globex" } });

        var acme = await Client.QueryAsync(new { question = "How many hours of sun do roses need?", collection = name, tenant = "acme", generate = false });
        var (unscoped, problem) = await Client.PostAsync("/v1/query", new { question = "roses", collection = name });
        var (untenanted, refused) = await Client.PostAsync($"/v1/collections/{name}/documents", new { documents = new[] { new { id = "stray", text = "No tenant here." } } });

        Assert.Equal(["acme-roses"], acme["results"]!.AsArray().Select(r => r!["document_id"]!.GetValue<string>()));
        Assert.Equal(422, unscoped);
        Assert.Contains("tenant", problem!["errors"]!.AsObject().Select(e => e.Key));
        Assert.Equal(422, untenanted);
        Assert.Contains("tenant", refused!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Query_answers_from_the_right_document_with_citations_and_timings()
    {
        var collection = await NewCollectionAsync(TestDocuments.All);

        var response = await Client.QueryAsync(new { question = "When was the Eiffel Tower completed?", collection });

        Assert.Equal("extractive", response["mode"]!.GetValue<string>());
        var answer = response["answer"]!.GetValue<string>();
        Assert.Contains("1889", answer);
        var citations = response["citations"]!.AsArray();
        Assert.NotEmpty(citations);
        Assert.All(citations, c => Assert.Contains($"[{c!["index"]!.GetValue<int>()}]", answer));
        Assert.Equal("eiffel", citations[0]!["document_id"]!.GetValue<string>());
        Assert.Equal("eiffel#0", citations[0]!["chunk_id"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(citations[0]!["snippet"]!.GetValue<string>()));

        var results = response["results"]!.AsArray();
        Assert.Equal("eiffel", results[0]!["document_id"]!.GetValue<string>());
        Assert.Equal("Eiffel Tower", results[0]!["title"]!.GetValue<string>());
        Assert.Equal("en", results[0]!["metadata"]!["lang"]!.GetValue<string>());
        var retrieval = response["retrieval"]!;
        Assert.Equal("sparse", retrieval["fusion"]!.GetValue<string>());
        Assert.Equal("sparse", retrieval["mode"]!.GetValue<string>());
        Assert.Contains("no dense model is configured", retrieval["warnings"]![0]!.GetValue<string>()); // this suite runs sparse-only
        Assert.Equal("none", retrieval["rerank"]!.GetValue<string>()); // auto without a cross-encoder
        Assert.Contains("no cross-encoder", retrieval["rerank_note"]!.GetValue<string>());

        var timings = response["timings_ms"]!;
        Assert.True(timings["total"]!.GetValue<double>() >= timings["retrieve"]!.GetValue<double>());
        Assert.True(timings["generate"]!.GetValue<double>() > 0);
    }

    [Fact]
    public async Task Rerank_none_is_reported_and_keeps_the_retrieval_order_and_scores()
    {
        var collection = await NewCollectionAsync(TestDocuments.All);

        var response = await Client.QueryAsync(new { question = "landmark tower gate", collection, rerank = "none", top_k = 3 });

        Assert.Equal("none", response["retrieval"]!["rerank"]!.GetValue<string>());
        var results = response["results"]!.AsArray();
        Assert.All(results, r => Assert.Equal(r!["retrieval_score"]!.GetValue<float>(), r["score"]!.GetValue<float>()));
        var scores = results.Select(r => r!["score"]!.GetValue<float>()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
    }

    [Fact]
    public async Task Reingesting_skips_unchanged_documents_and_replaces_changed_ones()
    {
        var collection = await NewCollectionAsync();
        var first = await Client.IngestAsync(collection, TestDocuments.All);
        Assert.Equal(3, first["created"]!.GetValue<int>());

        var second = await Client.IngestAsync(collection, TestDocuments.All);
        Assert.Equal(3, second["unchanged"]!.GetValue<int>());
        Assert.Equal(0, second["chunks"]!.GetValue<int>());

        var before = (await Client.SendJsonAsync(HttpMethod.Get, $"/v1/collections/{collection}/documents/eiffel")).Body!;
        var changed = await Client.IngestAsync(collection, new { id = "eiffel", text = "Gustave Eiffel's company designed and built the tower." });
        Assert.Equal("updated", changed["documents"]![0]!["status"]!.GetValue<string>());
        var after = (await Client.SendJsonAsync(HttpMethod.Get, $"/v1/collections/{collection}/documents/eiffel")).Body!;
        Assert.NotEqual(before["content_hash"]!.GetValue<string>(), after["content_hash"]!.GetValue<string>());

        var old = await Client.QueryAsync(new { question = "World Fair 1889", collection, generate = false });
        Assert.DoesNotContain("eiffel", old["results"].Strings("document_id"));
        var info = (await Client.SendJsonAsync(HttpMethod.Get, $"/v1/collections/{collection}")).Body!;
        Assert.Equal(3, info["document_count"]!.GetValue<int>());
        Assert.Equal(3, info["point_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_refused_document_refuses_the_whole_request_before_anything_is_written()
    {
        var collection = await NewCollectionAsync();
        var tooLong = string.Concat(Enumerable.Repeat("Word after word. ", 9000));

        var (status, _) = await Client.PostAsync($"/v1/collections/{collection}/documents",
            new { documents = new object[] { TestDocuments.Eiffel, new { id = "many", text = tooLong }, TestDocuments.Photosynthesis } });

        Assert.Equal(413, status);
        var info = (await Client.SendJsonAsync(HttpMethod.Get, $"/v1/collections/{collection}")).Body!;
        Assert.Equal(0, info["document_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Deleting_a_document_removes_it_from_results()
    {
        var collection = await NewCollectionAsync(TestDocuments.All);

        Assert.Equal(204, (await Client.SendJsonAsync(HttpMethod.Delete, $"/v1/collections/{collection}/documents/photosynthesis")).Status);

        var response = await Client.QueryAsync(new { question = "How do plants use light?", collection, generate = false });
        Assert.DoesNotContain("photosynthesis", response["results"].Strings("document_id"));
        Assert.Equal(404, (await Client.SendJsonAsync(HttpMethod.Get, $"/v1/collections/{collection}/documents/photosynthesis")).Status);
    }

    [Fact]
    public async Task Streaming_query_sends_retrieval_then_deltas_then_citations_then_done()
    {
        var collection = await NewCollectionAsync(TestDocuments.All);

        var events = await Client.QueryStreamAsync(new { question = "How tall is the Eiffel Tower?", collection, stream = true });

        var types = events.Select(e => e.Type).ToList();
        Assert.Equal("retrieval", types[0]);
        Assert.Equal(["citations", "done"], types[^2..]);
        Assert.All(types[1..^2], t => Assert.Equal("delta", t));
        var answer = string.Concat(events.Where(e => e.Type == "delta").Select(e => e.Data["text"]!.GetValue<string>()));
        Assert.Contains("330 metres", answer);
        Assert.Equal("eiffel", events[0].Data["results"]![0]!["document_id"]!.GetValue<string>());
        Assert.Equal("eiffel", events[^2].Data["citations"]![0]!["document_id"]!.GetValue<string>());
        Assert.Equal("extractive", events[^1].Data["mode"]!.GetValue<string>());
    }

    [Fact]
    public async Task Filters_restrict_results_to_matching_metadata()
    {
        var collection = await NewCollectionAsync(TestDocuments.All);
        async Task<string[]> Ids(object filters) =>
            (await Client.QueryAsync(new { question = "tower gate light landmark", collection, filters, generate = false, top_k = 10 }))["results"].Strings("document_id");

        Assert.Equal(["brandenburg"], await Ids(new { lang = "de" }));
        Assert.DoesNotContain("brandenburg", await Ids(new { lang = new { ne = "de" } }));
        Assert.Equal(["photosynthesis"], await Ids(new { year = new { gte = 2000 } }));
        Assert.Equal(["brandenburg"], await Ids(new { year = new { gt = 1700, lt = 1800 } }));
        Assert.Equal(["eiffel"], await Ids(new { tags = "paris" }));
        Assert.Equal(["eiffel"], await Ids(new { document_id = new[] { "eiffel", "missing" } }));
        Assert.Empty(await Ids(new { lang = "fr" }));
    }

    [Fact]
    public async Task Generate_false_returns_ranked_results_without_an_answer()
    {
        var collection = await NewCollectionAsync(TestDocuments.All);

        var response = await Client.QueryAsync(new { question = "carbon dioxide oxygen", collection, generate = false, top_k = 2 });

        Assert.Null(response["answer"]);
        Assert.Empty(response["citations"]!.AsArray());
        var results = response["results"]!.AsArray();
        Assert.InRange(results.Count, 1, 2);
        Assert.Equal("photosynthesis", results[0]!["document_id"]!.GetValue<string>());
        Assert.Equal(1, results[0]!["rank"]!.GetValue<int>());
    }

    [Fact]
    public async Task Long_documents_become_overlapping_chunks_with_lineage()
    {
        var collection = await NewCollectionAsync();
        var sentences = Enumerable.Range(1, 80).Select(i => $"Sentence number {i} talks about topic {i} in some detail.");
        var text = string.Join(' ', sentences);
        var ingest = await Client.IngestAsync(collection, new { id = "long", text, source = "long.txt" });
        var chunks = ingest["documents"]![0]!["chunks"]!.GetValue<int>();
        Assert.True(chunks > 1, $"expected several chunks, got {chunks}");

        var response = await Client.QueryAsync(new { question = "topic 77", collection, generate = false, top_k = 10, rerank = "none" });
        var best = response["results"]![0]!;
        var lineage = best["lineage"]!;
        var start = lineage["start_char"]!.GetValue<int>();
        var end = lineage["end_char"]!.GetValue<int>();
        Assert.Equal(text[start..end], best["text"]!.GetValue<string>());
        Assert.Contains("topic 77", best["text"]!.GetValue<string>());
        Assert.Equal("long.txt", lineage["source"]!.GetValue<string>());
        Assert.StartsWith("sentence-window-v1", lineage["chunker"]!.GetValue<string>());

        // Consecutive chunks overlap: the next chunk starts before the previous one ends.
        var all = (await Client.QueryAsync(new { question = "sentence number talks about topic", collection, generate = false, top_k = 100, rerank = "none" }))["results"]!
            .AsArray().Select(r => (Index: r!["chunk_index"]!.GetValue<int>(), Start: r["lineage"]!["start_char"]!.GetValue<int>(), End: r["lineage"]!["end_char"]!.GetValue<int>()))
            .OrderBy(c => c.Index).ToList();
        Assert.Equal(chunks, all.Count);
        Assert.All(all.Zip(all.Skip(1)), pair => Assert.True(pair.Second.Start < pair.First.End));
    }

    [Fact]
    public async Task Group_by_document_returns_one_chunk_per_document()
    {
        var collection = await NewCollectionAsync();
        var text = string.Join(' ', Enumerable.Range(1, 80).Select(i => $"Alpine glaciers retreat number {i} every single year."));
        await Client.IngestAsync(collection, new { id = "glaciers", text }, TestDocuments.Photosynthesis);

        var grouped = await Client.QueryAsync(new { question = "glaciers retreat", collection, generate = false, top_k = 10, group_by_document = true });
        Assert.Equal(["glaciers"], grouped["results"].Strings("document_id"));
        var ungrouped = await Client.QueryAsync(new { question = "glaciers retreat", collection, generate = false, top_k = 10 });
        Assert.True(ungrouped["results"]!.AsArray().Count > 1);
    }

    [Fact]
    public async Task Uploaded_text_markdown_and_html_files_become_documents()
    {
        var collection = await NewCollectionAsync();
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent("Tulips bloom in spring in the Netherlands."u8.ToArray()), "files", "notes/tulips.txt" },
            { new ByteArrayContent("# Roses\n\nRoses need six hours of sun.\n\n- Water deeply\n- Prune in March"u8.ToArray()), "files", "roses.md" },
            { new ByteArrayContent("<html><head><title>Orchids</title><script>track()</script></head><body><h1>Orchids</h1><p>Orchids like humid air.</p></body></html>"u8.ToArray()), "files", "orchids.html" },
        };
        using var upload = await Client.PostAsync($"/v1/collections/{collection}/documents", form);
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        var ingested = JsonNode.Parse(await upload.Content.ReadAsStringAsync())!;
        Assert.Equal(["notes/tulips.txt", "roses.md", "orchids.html"], ingested["documents"].Strings("id"));

        var orchids = await Client.QueryAsync(new { question = "What air do orchids like?", collection });
        Assert.Equal("orchids.html", orchids["results"]![0]!["document_id"]!.GetValue<string>());
        Assert.Equal("Orchids", orchids["results"]![0]!["title"]!.GetValue<string>());
        Assert.DoesNotContain("track", orchids["results"]![0]!["text"]!.GetValue<string>());
        Assert.Contains("humid", orchids["answer"]!.GetValue<string>());

        Assert.Equal(200, (await Client.SendJsonAsync(HttpMethod.Get, $"/v1/collections/{collection}/documents/notes/tulips.txt")).Status);
        Assert.Equal(204, (await Client.SendJsonAsync(HttpMethod.Delete, $"/v1/collections/{collection}/documents/{Uri.EscapeDataString("notes/tulips.txt")}")).Status);
        Assert.Equal(404, (await Client.SendJsonAsync(HttpMethod.Get, $"/v1/collections/{collection}/documents/notes/tulips.txt")).Status);

        var roses = await Client.QueryAsync(new { question = "When to prune roses?", collection, generate = false });
        Assert.Equal("Roses", roses["results"]![0]!["title"]!.GetValue<string>());
        Assert.Equal("roses.md", roses["results"]![0]!["metadata"]!["filename"]!.GetValue<string>());
    }

    [Fact]
    public async Task Health_metrics_and_openapi_are_served()
    {
        var collection = await NewCollectionAsync(TestDocuments.All);
        await Client.QueryAsync(new { question = "Eiffel", collection });

        Assert.Equal("Healthy", await Client.GetStringAsync("/healthz"));
        Assert.Equal("Healthy", JsonNode.Parse(await Client.GetStringAsync("/readyz"))!["status"]!.GetValue<string>());
        var metrics = await Client.GetStringAsync("/metrics");
        Assert.Contains("ragsuite_gateway_stage_duration_seconds_bucket", metrics);
        Assert.Contains("stage=\"retrieve\"", metrics);
        var openApi = JsonNode.Parse(await Client.GetStringAsync("/openapi/v1.json"))!;
        Assert.NotNull(openApi["paths"]!["/v1/query"]);
        var ingest = openApi["paths"]!["/v1/collections/{name}/documents"]!["post"]!["requestBody"]!["content"]!;
        Assert.Equal("binary", ingest["multipart/form-data"]!["schema"]!["properties"]!["files"]!["items"]!["format"]!.GetValue<string>());
        Assert.Equal(["question", "collection"], openApi["components"]!["schemas"]!["QueryBody"]!["required"].Strings());
    }

    [Theory]
    [MemberData(nameof(BadInputs.Cases), MemberType = typeof(BadInputs))]
    public async Task Bad_input_gets_its_documented_problem_and_the_service_keeps_serving(string name)
    {
        var input = BadInputs.Get(name);
        var collection = await NewCollectionAsync(TestDocuments.Eiffel);
        using var request = input.ToRequest(collection);
        request.Headers.ExpectContinue = true; // as well-behaved uploaders do, so a refused body need not be sent

        using var response = await Client.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(input.Status == (int)response.StatusCode, $"{input}: expected {input.Status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal(input.Status, problem["status"]!.GetValue<int>());
        Assert.Contains(input.Names, body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", body); // never a stack trace

        Assert.Equal("Healthy", JsonNode.Parse(await Client.GetStringAsync("/readyz"))!["status"]!.GetValue<string>());
        var still = await Client.QueryAsync(new { question = "When was the Eiffel Tower completed?", collection });
        Assert.Contains("1889", still["answer"]!.GetValue<string>());
    }
}

[Collection("embedded")]
public sealed class EmbeddedGatewayTests(EmbeddedSuite suite) : GatewayApiContract(suite), IClassFixture<EmbeddedSuite>;

[Collection("distributed")]
public sealed class DistributedGatewayTests(DistributedSuite suite) : GatewayApiContract(suite), IClassFixture<DistributedSuite>;
