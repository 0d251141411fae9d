using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Retrieval;

namespace RagSuite.Retriever.Tests;

/// <summary>The retriever's metric labels stay a bounded set unless an operator asks for collection names.</summary>
public sealed class RetrieverMetricsTests
{
    [Fact]
    public void By_default_no_metric_is_labelled_with_a_collection_name()
    {
        var tags = Recorded(new RetrieverOptions());

        Assert.Equal(2, tags.Count);
        Assert.All(tags, t => Assert.DoesNotContain("collection", t.Keys));
        Assert.Contains(tags, t => t.TryGetValue("fusion", out var fusion) && (string?)fusion == "weighted");
    }

    [Fact]
    public void Collection_labels_are_there_when_configured()
    {
        var tags = Recorded(new RetrieverOptions { CollectionMetricLabels = true });

        Assert.Equal(2, tags.Count);
        Assert.All(tags, t => Assert.Equal("handbook", t["collection"]));
    }

    /// <summary>The tags of one write and one search, as a listener on the retriever's meter sees them.</summary>
    private static List<Dictionary<string, object?>> Recorded(RetrieverOptions options)
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var recorded = new List<Dictionary<string, object?>>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == RetrieverMetrics.MeterName && instrument.Meter.Scope == factory) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) => recorded.Add(ToDictionary(tags)));
        listener.SetMeasurementEventCallback<double>((_, _, tags, _) => recorded.Add(ToDictionary(tags)));
        listener.Start();

        var metrics = new RetrieverMetrics(factory, Options.Create(options));
        metrics.RecordWrite("handbook", 3);
        metrics.RecordSearch("handbook", FusionMode.Weighted, TimeSpan.FromMilliseconds(2));
        return recorded;
    }

    private static Dictionary<string, object?> ToDictionary(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var result = new Dictionary<string, object?>();
        foreach (var tag in tags) result[tag.Key] = tag.Value;
        return result;
    }
}
