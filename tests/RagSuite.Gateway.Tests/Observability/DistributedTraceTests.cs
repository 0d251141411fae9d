using System.Diagnostics;
using Xunit.Abstractions;

namespace RagSuite.Gateway.Tests.Observability;

/// <summary>One query through five hosts leaves one trace: the gateway's stages, and under each the service it called.</summary>
[Collection(ProcessWideTelemetry.Name)]
public sealed class DistributedTraceTests(CallEveryServiceSuite suite, ITestOutputHelper output) : IClassFixture<CallEveryServiceSuite>
{
    private static readonly ActivitySource TestSource = new("RagSuite.Gateway.Tests");

    [Fact]
    public async Task A_query_is_one_trace_with_each_stage_the_parent_of_the_service_call_it_makes()
    {
        using var collector = new SpanCollector();
        using var client = suite.CreateClient();
        var collection = "traced-" + Guid.NewGuid().ToString("N")[..8];
        await client.CreateCollectionAsync(collection);
        await client.IngestAsync(collection, TestDocuments.All);

        ActivityTraceId trace;
        var previous = Activity.Current;
        Activity.Current = null;
        using (var root = TestSource.StartActivity("test query", ActivityKind.Client)!)
        {
            trace = root.TraceId;
            await client.QueryAsync(new { question = "When was the Eiffel Tower completed?", collection });
        }
        Activity.Current = previous;

        (string Stage, string Service)[] stages =
            [("embed", "Embedder"), ("retrieve", "Retriever"), ("rerank", "Reranker"), ("generate", "Generator")];
        var spans = await collector.WaitForTraceAsync(trace, s => stages.All(x => ServerSpanUnder(s, x.Stage) is not null));
        var tree = SpanCollector.Describe(spans);
        output.WriteLine(tree);

        var gatewayServer = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.DisplayName == "POST /v1/query");
        foreach (var (stage, service) in stages)
        {
            var span = Assert.Single(spans, s => s.Source.Name == "RagSuite.Gateway" && s.DisplayName == stage);
            Assert.True(IsUnder(spans, span, gatewayServer), $"the {stage} span is not under the gateway's request span:{Environment.NewLine}{tree}");
            var server = ServerSpanUnder(spans, stage);
            Assert.True(server is not null, $"no service's server span under the {stage} span:{Environment.NewLine}{tree}");
            Assert.Contains($"/ragsuite.v1.{service}/", server.DisplayName);
        }
    }

    /// <summary>The server span of the service a stage called: a client span child of the stage, and a server span under that.</summary>
    private static Activity? ServerSpanUnder(IReadOnlyList<Activity> spans, string stage)
    {
        var stageSpan = spans.FirstOrDefault(s => s.Source.Name == "RagSuite.Gateway" && s.DisplayName == stage);
        if (stageSpan is null) return null;
        var clients = spans.Where(s => s.Kind == ActivityKind.Client && s.ParentSpanId == stageSpan.SpanId).ToList();
        return spans.FirstOrDefault(s => s.Kind == ActivityKind.Server && clients.Any(c => IsUnder(spans, s, c)));
    }

    private static bool IsUnder(IReadOnlyList<Activity> spans, Activity span, Activity ancestor)
    {
        var bySpan = spans.ToDictionary(s => s.SpanId);
        for (var current = span; bySpan.TryGetValue(current.ParentSpanId, out var parent); current = parent)
        {
            if (parent.SpanId == ancestor.SpanId) return true;
        }
        return false;
    }
}
