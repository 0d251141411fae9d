using System.Text.Json;
using RagSuite.Testing;

namespace RagSuite.Cli.Tests;

/// <summary>
/// BM25 on Cranfield through the whole suite (ingest → chunk → sparse embed → store → search) matches a
/// plain BM25 (k1 0.9, b 0.4, lower-cased word tokens), which scores nDCG@10 0.316 there.
/// </summary>
[Collection("console")]
public sealed class CranfieldEvalTests
{
    private const double ReferenceNdcg10 = 0.316;
    private const double ReferenceRecall100 = 0.685;

    [SharedDataFact]
    public async Task Eval_on_Cranfield_reproduces_the_reference_BM25()
    {
        using var work = new TemporaryDirectory("ragsuite-cranfield");
        var report = Path.Combine(work.Path, "report.json");

        var exit = await RagSuiteCommand.Create()
            .Parse(["eval", "--dataset", SharedData.Path("cranfield", "beir"), "--data", Path.Combine(work.Path, "data"), "--json", report])
            .InvokeAsync();

        Assert.Equal(0, exit);
        var json = JsonDocument.Parse(await File.ReadAllTextAsync(report)).RootElement;
        Assert.Equal(225, json.GetProperty("queries").GetInt32());
        Assert.InRange(json.GetProperty("ndcg10").GetDouble(), ReferenceNdcg10 - 0.03, ReferenceNdcg10 + 0.03);
        Assert.InRange(json.GetProperty("recall100").GetDouble(), ReferenceRecall100 - 0.03, ReferenceRecall100 + 0.03);
        Assert.Equal("sparse", json.GetProperty("fusion").GetString());
    }
}
