using System.Text.Json.Nodes;
using RagSuite.Embedder;
using RagSuite.Retriever;
using RagSuite.Testing;

namespace RagSuite.Gateway.Tests;

/// <summary>
/// Semantic retrieval through the REST API with the default model, USE-lite: hybrid by default, dense and sparse on
/// request, collections pinned to one model, and every downgrade said out loud.
/// </summary>
public sealed class DenseRetrievalTests : IDisposable
{
    private static readonly object[] Documents =
    [
        new { id = "cat", text = "The feline dozed all afternoon on the woollen rug by the fireplace." },
        new { id = "stocks", text = "Share prices tumbled on the exchange after the central bank raised interest rates." },
        new { id = "rocket", text = "The launch vehicle reached orbit after its second stage burned for six minutes." },
    ];

    private readonly TemporaryDirectory _data = new("ragsuite-dense");

    private Task<RunningHost> Gateway(params string[] settings) =>
        RunningHost.StartAsync(GatewayHost.Build,
            [$"RagSuite:Retriever:DataDirectory={_data.Path}", $"RagSuite:Models:Directory={UseLiteModel.ModelsDirectory}", .. settings]);

    [UseLiteFact]
    public async Task Hybrid_is_the_default_and_the_response_names_the_model_and_fusion()
    {
        await UseLiteModel.EnsureAsync();
        await using var gateway = await Gateway();
        using var client = gateway.CreateHttpClient();
        var created = await client.PostOkAsync("/v1/collections", new { name = "pets" });
        await client.IngestAsync("pets", Documents);

        var response = await client.QueryAsync(new { question = "Where did the cat sleep?", collection = "pets", generate = false });

        Assert.Equal("use-lite", created["dense_model"]!.GetValue<string>());
        Assert.Equal(512, created["dense_dimension"]!.GetValue<int>());
        var retrieval = response["retrieval"]!;
        Assert.Equal("hybrid", retrieval["mode"]!.GetValue<string>());
        Assert.Equal("weighted", retrieval["fusion"]!.GetValue<string>());
        Assert.Equal(0.3f, retrieval["alpha"]!.GetValue<float>(), 3);
        Assert.Equal("use-lite", retrieval["dense_model"]!.GetValue<string>());
        Assert.Null(retrieval["warnings"]);
        Assert.Equal("cat", response["results"]![0]!["document_id"]!.GetValue<string>());
    }

    [UseLiteFact]
    public async Task Dense_mode_finds_a_passage_that_shares_no_content_word_with_the_question()
    {
        await UseLiteModel.EnsureAsync();
        await using var gateway = await Gateway();
        using var client = gateway.CreateHttpClient();
        await client.CreateCollectionAsync("pets");
        await client.IngestAsync("pets", Documents);

        var dense = await client.QueryAsync(new { question = "Why did stock markets crash?", collection = "pets", mode = "dense", generate = false });
        var rrf = await client.QueryAsync(new { question = "Why did stock markets crash?", collection = "pets", fusion = "rrf", alpha = 0.5, rrf_k = 10, generate = false });
        var exact = await client.QueryAsync(new { question = "Why did stock markets crash?", collection = "pets", mode = "dense", exact = true, generate = false });
        var narrow = await client.QueryAsync(new { question = "Why did stock markets crash?", collection = "pets", mode = "dense", ef = 16, generate = false });

        Assert.Equal("stocks", dense["results"]![0]!["document_id"]!.GetValue<string>());
        Assert.Equal("dense", dense["retrieval"]!["mode"]!.GetValue<string>());
        Assert.Equal("rrf", rrf["retrieval"]!["fusion"]!.GetValue<string>());
        Assert.Equal(10, rrf["retrieval"]!["rrf_k"]!.GetValue<int>());
        Assert.Equal("stocks", rrf["results"]![0]!["document_id"]!.GetValue<string>());
        Assert.Equal("stocks", exact["results"]![0]!["document_id"]!.GetValue<string>());
        Assert.Equal("stocks", narrow["results"]![0]!["document_id"]!.GetValue<string>());
    }

    [UseLiteFact]
    public async Task A_collection_keeps_its_model_a_gateway_with_another_model_is_refused_with_409()
    {
        await UseLiteModel.EnsureAsync();
        await using (var first = await Gateway())
        {
            using var client = first.CreateHttpClient();
            await client.CreateCollectionAsync("pinned");
            await client.IngestAsync("pinned", Documents);
        }
        using var models = new TemporaryDirectory("ragsuite-models");
        CopyDirectory(Path.Combine(RepositoryPaths.Root, "tests", "RagSuite.Inference.Tests", "Fixtures", "hf", "tiny-bert"),
            Path.Combine(models.Path, "tiny-bert"));
        await using var other = await RunningHost.StartAsync(GatewayHost.Build, $"RagSuite:Retriever:DataDirectory={_data.Path}",
            $"RagSuite:Models:Directory={models.Path}", "RagSuite:Embedder:Model=tiny-bert");
        using var otherClient = other.CreateHttpClient();

        var (queryStatus, queryProblem) = await otherClient.PostAsync("/v1/query", new { question = "cat", collection = "pinned" });
        var (ingestStatus, ingestProblem) = await otherClient.PostAsync("/v1/collections/pinned/documents",
            new { documents = new[] { new { id = "new", text = "A new document." } } });
        var sparse = await otherClient.QueryAsync(new { question = "feline", collection = "pinned", mode = "sparse", generate = false });

        Assert.Equal(409, queryStatus);
        Assert.Contains("use-lite", queryProblem!["detail"]!.GetValue<string>());
        Assert.Contains("tiny-bert", queryProblem["detail"]!.GetValue<string>());
        Assert.Equal(409, ingestStatus);
        Assert.Contains("Re-create the collection", ingestProblem!["detail"]!.GetValue<string>());
        Assert.Equal("cat", sparse["results"]![0]!["document_id"]!.GetValue<string>()); // its terms still serve
    }

    [UseLiteFact]
    public async Task A_collection_made_without_a_dense_model_is_searched_sparse_and_the_response_says_why()
    {
        await UseLiteModel.EnsureAsync();
        await using (var sparseOnly = await Gateway("RagSuite:Embedder:Model="))
        {
            await sparseOnly.CreateHttpClient().CreateCollectionAsync("old");
        }
        await using var gateway = await Gateway();
        using var client = gateway.CreateHttpClient();

        var ingested = await client.IngestAsync("old", Documents);
        var response = await client.QueryAsync(new { question = "feline rug", collection = "old", generate = false });

        Assert.Contains("without a dense model", ingested["warnings"]![0]!.GetValue<string>());
        Assert.Equal("sparse", response["retrieval"]!["mode"]!.GetValue<string>());
        Assert.Contains("holds no dense vectors", response["retrieval"]!["warnings"]![0]!.GetValue<string>());
        Assert.Equal("cat", response["results"]![0]!["document_id"]!.GetValue<string>());
    }

    [UseLiteFact]
    public async Task Models_lists_the_dense_model_the_sparse_encoder_and_what_auto_reranking_runs()
    {
        await UseLiteModel.EnsureAsync();
        await using var gateway = await Gateway();

        var (status, body) = await gateway.CreateHttpClient().SendJsonAsync(HttpMethod.Get, "/v1/models");

        Assert.Equal(200, status);
        Assert.Equal("use-lite", body!["dense_model"]!.GetValue<string>());
        Assert.Equal("none", body["auto_rerank"]!.GetValue<string>());
        var models = body["models"]!.AsArray();
        var dense = models.Single(m => m!["role"]!.GetValue<string>() == "dense")!;
        Assert.Equal(("use-lite", "embedder", "ready", 512, 128), (dense["name"]!.GetValue<string>(), dense["service"]!.GetValue<string>(),
            dense["status"]!.GetValue<string>(), dense["dimension"]!.GetValue<int>(), dense["max_tokens"]!.GetValue<int>()));
        Assert.Contains(models, m => m!["role"]!.GetValue<string>() == "sparse");
        // The same body is OpenAI's model list, of the rag:<collection> chat models (no collection here yet).
        Assert.Equal("list", body["object"]!.GetValue<string>());
        Assert.Empty(body["data"]!.AsArray());
    }

    [UseLiteFact]
    public async Task Distributed_mode_carries_dense_vectors_over_gRPC_to_the_same_answers()
    {
        await UseLiteModel.EnsureAsync();
        await using var embedder = await RunningHost.StartAsync(EmbedderHost.Build, $"RagSuite:Models:Directory={UseLiteModel.ModelsDirectory}");
        await using var retriever = await RunningHost.StartAsync(RetrieverHost.Build, $"RagSuite:Retriever:DataDirectory={_data.Path}");
        await using var gateway = await RunningHost.StartAsync(GatewayHost.Build, $"RagSuite:Models:Directory={UseLiteModel.ModelsDirectory}",
            $"RagSuite:Services:Embedder:Address={embedder.GrpcAddress}", $"RagSuite:Services:Retriever:Address={retriever.GrpcAddress}");
        using var client = gateway.CreateHttpClient();
        await client.CreateCollectionAsync("remote");
        await client.IngestAsync("remote", Documents);

        var response = await client.QueryAsync(new { question = "Why did stock markets crash?", collection = "remote", mode = "dense", generate = false });
        var models = (await client.SendJsonAsync(HttpMethod.Get, "/v1/models")).Body!;

        Assert.Equal("stocks", response["results"]![0]!["document_id"]!.GetValue<string>());
        Assert.Equal("use-lite", models["dense_model"]!.GetValue<string>());
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.EnumerateFiles(source)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
    }

    public void Dispose() => _data.Dispose();
}
