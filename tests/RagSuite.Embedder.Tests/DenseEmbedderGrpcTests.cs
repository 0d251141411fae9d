using System.Numerics.Tensors;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using RagSuite.Contracts.V1;
using RagSuite.Testing;
using EmbedderClient = RagSuite.Contracts.V1.Embedder.EmbedderClient;

namespace RagSuite.Embedder.Tests;

/// <summary>The embedder with its default dense model, USE-lite, behind dynamic batching, over a real gRPC socket.</summary>
public sealed class DenseEmbedderGrpcTests : IAsyncLifetime
{
    private const int QueueLimit = 200;

    private static readonly string[] Words =
        ("the boundary layer on a swept wing thickens downstream and separates where the pressure gradient turns adverse " +
         "while heat transfer to the wall grows with the mach number and the flutter speed falls as the structure softens").Split(' ');

    private RunningHost _host = null!;
    private GrpcChannel _channel = null!;
    private EmbedderClient _client = null!;

    public async Task InitializeAsync()
    {
        if (UseLiteModel.Unavailable is not null) return;
        await UseLiteModel.EnsureAsync();
        _host = await RunningHost.StartAsync(EmbedderHost.Build, $"RagSuite:Models:Directory={UseLiteModel.ModelsDirectory}",
            "RagSuite:Embedder:Batching:MaxBatchTokens=512", "RagSuite:Embedder:Batching:MaxBatchSize=16",
            $"RagSuite:Embedder:Batching:MaxQueuedTexts={QueueLimit}");
        _channel = GrpcChannel.ForAddress(_host.GrpcAddress);
        _client = new EmbedderClient(_channel);
    }

    [UseLiteFact]
    public async Task Sixty_four_concurrent_callers_with_mixed_lengths_each_get_the_vector_they_get_alone()
    {
        var texts = Enumerable.Range(0, 64).Select(i => string.Join(' ', Words.Skip(i % 7).Take(3 + i * 37 % 30))).ToArray();
        var alone = new List<float[]>();
        foreach (var text in texts)
        {
            alone.Add([.. (await _client.EmbedAsync(new EmbedRequest { Kind = InputKind.Query, Texts = { text } })).Embeddings[0].Dense]);
        }

        var together = await Task.WhenAll(texts.Select(text => Task.Run(async () =>
            (await _client.EmbedAsync(new EmbedRequest { Kind = InputKind.Query, Texts = { text } })).Embeddings[0])));

        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(512, together[i].Dense.Count);
            var worst = alone[i].Zip(together[i].Dense, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst < 1e-5, $"text {i}: batched vector differs from the unbatched one by {worst:E2}");
        }
        var metrics = await _host.CreateHttpClient().GetStringAsync("/metrics");
        Assert.Contains("ragsuite_encoder_batch_size", metrics);
        Assert.Matches(@"ragsuite_encoder_batch_size_bucket\{[^}]*model=""use-lite""[^}]*le=""1""\} (\d+)", metrics);
        Assert.Contains("ragsuite_encoder_queue_duration_seconds", metrics);
        Assert.Contains("ragsuite_encoder_tokens_total", metrics);
        Assert.Contains("ragsuite_encoder_queue_depth", metrics);
    }

    [UseLiteFact]
    public async Task An_over_long_query_is_truncated_and_says_so_while_a_passage_is_embedded_whole()
    {
        var sentence = string.Join(' ', Words) + ". ";
        var longText = string.Concat(Enumerable.Repeat(sentence, 6));

        var query = (await _client.EmbedAsync(new EmbedRequest { Kind = InputKind.Query, Texts = { longText } })).Embeddings[0];
        var passage = (await _client.EmbedAsync(new EmbedRequest { Kind = InputKind.Passage, Texts = { longText } })).Embeddings[0];
        var start = (await _client.EmbedAsync(new EmbedRequest { Kind = InputKind.Passage, Texts = { sentence.Trim() } })).Embeddings[0];

        Assert.True(query.Truncated);
        Assert.Equal(128, query.TokenCount);
        Assert.False(passage.Truncated);
        Assert.True(passage.TokenCount > 128, $"a passage of six long sentences counted only {passage.TokenCount} tokens");
        Assert.Equal(1, TensorPrimitives.Norm(passage.Dense.ToArray()), 3);
        // The passage repeats one sentence, so its whole-text vector is close to that sentence's own.
        Assert.True(TensorPrimitives.CosineSimilarity(passage.Dense.ToArray(), start.Dense.ToArray()) > 0.9);
    }

    [UseLiteFact]
    public async Task A_request_larger_than_the_queue_is_RESOURCE_EXHAUSTED_with_a_retry_hint()
    {
        var request = new EmbedRequest { Kind = InputKind.Query };
        request.Texts.AddRange(Enumerable.Repeat("lift and drag", QueueLimit + 1));

        var error = await Assert.ThrowsAsync<RpcException>(() => _client.EmbedAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.NotNull(error.GetRpcStatus()!.GetDetail<RetryInfo>()?.RetryDelay);
        Assert.Contains("use-lite", error.Status.Detail);
        Assert.NotEmpty((await _client.EmbedAsync(new EmbedRequest { Kind = InputKind.Query, Texts = { "still serving" } })).Embeddings[0].Dense);
    }

    [UseLiteFact]
    public async Task A_caller_that_gives_up_gets_DEADLINE_EXCEEDED_or_CANCELLED_and_the_model_keeps_serving()
    {
        var request = new EmbedRequest { Kind = InputKind.Passage };
        request.Texts.AddRange(Enumerable.Repeat(string.Join(' ', Words), 150));

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            _client.EmbedAsync(request, deadline: DateTime.UtcNow.AddMilliseconds(20)).ResponseAsync);

        Assert.Contains(error.StatusCode, new[] { StatusCode.DeadlineExceeded, StatusCode.Cancelled });
        Assert.NotEmpty((await _client.EmbedAsync(new EmbedRequest { Kind = InputKind.Query, Texts = { "still serving" } })).Embeddings[0].Dense);
    }

    [UseLiteFact]
    public async Task Info_lists_the_dense_model_with_its_settings_and_readiness_is_healthy()
    {
        var info = await _client.GetInfoAsync(new GetEmbedderInfoRequest());

        Assert.Equal("use-lite", info.DenseModel);
        Assert.Equal(512, info.DenseDimension);
        Assert.Equal(128, info.MaxTokens);
        Assert.Empty(info.DenseUnavailableReason);
        var dense = Assert.Single(info.Models, m => m.Role == "dense");
        Assert.Equal(("use-lite", "ready", "cpu", "float32", 512), (dense.Family, dense.Status, dense.ExecutionProvider, dense.Precision, dense.MaxBatchTokens));
        Assert.Equal("Healthy", await _host.CreateHttpClient().GetStringAsync("/readyz"));
    }

    public async Task DisposeAsync()
    {
        if (_host is null) return;
        _channel.Dispose();
        await _host.DisposeAsync();
    }
}
