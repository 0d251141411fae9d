using Grpc.Net.Client;
using RagSuite.Contracts.V1;
using RagSuite.Testing;
using EmbedderClient = RagSuite.Contracts.V1.Embedder.EmbedderClient;

namespace RagSuite.Embedder.Tests;

/// <summary>A configured dense model that is not there: the embedder serves sparse vectors and says why, never silently.</summary>
public sealed class MissingModelTests
{
    [Fact]
    public async Task A_missing_model_leaves_the_embedder_sparse_only_with_the_reason_on_every_answer()
    {
        using var models = new TemporaryDirectory("ragsuite-models");
        await using var host = await RunningHost.StartAsync(EmbedderHost.Build, $"RagSuite:Models:Directory={models.Path}",
            "RagSuite:Embedder:Model=my-encoder", "RagSuite:Models:AutoPull=false");
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);
        var client = new EmbedderClient(channel);

        var embedded = await client.EmbedAsync(new EmbedRequest { Kind = InputKind.Query, Texts = { "lift" } });
        var info = await client.GetInfoAsync(new GetEmbedderInfoRequest());

        Assert.Empty(embedded.Embeddings[0].Dense);
        Assert.NotEmpty(embedded.Embeddings[0].Sparse.Indices);
        Assert.Contains("my-encoder", embedded.DenseUnavailableReason);
        Assert.Contains(models.Path, embedded.DenseUnavailableReason);
        Assert.Equal(embedded.DenseUnavailableReason, info.DenseUnavailableReason);
        Assert.Equal(0, info.DenseDimension);
        Assert.Equal("unavailable", Assert.Single(info.Models, m => m.Role == "dense").Status);
        var readiness = await host.CreateHttpClient().GetAsync(new Uri("/readyz", UriKind.Relative));
        Assert.Equal("Degraded", await readiness.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_model_folder_that_holds_a_cross_encoder_is_refused_as_the_dense_model()
    {
        using var models = new TemporaryDirectory("ragsuite-models");
        var folder = Path.Combine(models.Path, "reranker");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "ragsuite-model.json"),
            """{"name": "reranker", "family": "bert-cross-encoder", "max_tokens": 64}""");
        await File.WriteAllTextAsync(Path.Combine(folder, "vocab.txt"), "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n");
        await File.WriteAllBytesAsync(Path.Combine(folder, "model.onnx"), [1, 2, 3]);
        await using var host = await RunningHost.StartAsync(EmbedderHost.Build, $"RagSuite:Models:Directory={models.Path}",
            "RagSuite:Embedder:Model=reranker");
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress);

        var info = await new EmbedderClient(channel).GetInfoAsync(new GetEmbedderInfoRequest());

        Assert.Contains("cross-encoder", info.DenseUnavailableReason);
    }
}
