using System.Text.Json;
using RagSuite.Testing;

namespace RagSuite.Cli.Tests;

/// <summary>
/// Cranfield through the whole suite (ingest → chunk → embed → store → search) in every retrieval mode. Sparse
/// matches a plain BM25 (k1 0.9, b 0.4, lower-cased word tokens: nDCG@10 0.316); hybrid, the default, must do at
/// least as well as sparse; what <c>rerank: auto</c> resolves to must do at least as well as no reranking.
/// </summary>
[Collection("console")]
public sealed class CranfieldEvalTests
{
    private const double ReferenceNdcg10 = 0.316;
    private const double ReferenceRecall100 = 0.685;

    [UseLiteFact(NeedsSharedData = true)]
    public async Task Eval_on_Cranfield_in_sparse_dense_hybrid_and_reranked_modes()
    {
        using var work = new TemporaryDirectory("ragsuite-cranfield");
        await UseLiteModel.EnsureAsync();

        var sparse = await EvalAsync(work, "--mode", "sparse");
        var dense = await EvalAsync(work, "--mode", "dense");
        var hybrid = await EvalAsync(work);
        var auto = await EvalAsync(work, "--rerank", "auto");
        var biEncoder = await EvalAsync(work, "--rerank", "bi-encoder");

        Assert.Equal(225, sparse.GetProperty("queries").GetInt32());
        Assert.Equal("sparse", sparse.GetProperty("fusion").GetString());
        Assert.InRange(Ndcg(sparse), ReferenceNdcg10 - 0.03, ReferenceNdcg10 + 0.03);
        Assert.InRange(sparse.GetProperty("recall100").GetDouble(), ReferenceRecall100 - 0.03, ReferenceRecall100 + 0.03);

        Assert.Equal("dense", dense.GetProperty("fusion").GetString());
        Assert.Equal("use-lite", dense.GetProperty("dense_model").GetString());
        Assert.True(Ndcg(dense) > 0.15, $"dense nDCG@10 {Ndcg(dense):0.0000}: the model is not finding related abstracts");

        Assert.Equal("hybrid", hybrid.GetProperty("mode").GetString());
        Assert.True(Ndcg(hybrid) >= Ndcg(sparse), $"hybrid nDCG@10 {Ndcg(hybrid):0.0000} is below sparse {Ndcg(sparse):0.0000}");
        Assert.True(Ndcg(hybrid) > Ndcg(dense));

        Assert.True(Ndcg(auto) >= Ndcg(hybrid), $"rerank auto ({auto.GetProperty("rerank").GetString()}) lowered nDCG@10 to {Ndcg(auto):0.0000}");
        Assert.Equal("bi-encoder", biEncoder.GetProperty("rerank").GetString());
        Assert.True(Ndcg(biEncoder) > Ndcg(dense), "bi-encoder rescoring of hybrid candidates should beat dense retrieval alone");
    }

    private static double Ndcg(JsonElement report) => report.GetProperty("ndcg10").GetDouble();

    private static async Task<JsonElement> EvalAsync(TemporaryDirectory work, params string[] options)
    {
        var report = Path.Combine(work.Path, "report.json");
        var exit = await RagSuiteCommand.Create()
            .Parse(["eval", "--dataset", SharedData.Path("cranfield", "beir"), "--data", Path.Combine(work.Path, "data"),
                "--models", UseLiteModel.ModelsDirectory, "--json", report, .. options])
            .InvokeAsync();
        Assert.Equal(0, exit);
        return JsonDocument.Parse(await File.ReadAllTextAsync(report)).RootElement.Clone();
    }
}
