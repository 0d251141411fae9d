using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using RagSuite.Gateway.Auth;

namespace RagSuite.Gateway.Tests.Security;

/// <summary>
/// Requests are counted by key name and outcome, and the key check's refusals by reason. The counts are read with a listener
/// on this gateway's own meters (other gateways in the test process have meters of the same name, which a scrape of
/// <c>/metrics</c> would mix in); counts under the key only this test uses are exact, the others at least what it caused.
/// <c>/metrics</c> is checked for the metric's name and for no key.
/// </summary>
public sealed class ApiKeyMetricsTests(SecuritySuite suite) : IClassFixture<SecuritySuite>
{
    private const string Requests = "ragsuite_gateway_auth_requests_total";
    private const string Rejections = "ragsuite_gateway_auth_rejections_total";

    [Fact]
    public async Task Requests_are_counted_by_key_and_outcome_and_refusals_by_reason()
    {
        using var reader = suite.CreateClient(SecuritySuite.Counted);
        using var anonymous = suite.CreateClient(null);
        using var unknown = suite.CreateClient("rsk_not_a_key");
        using var slow = suite.CreateClient(SecuritySuite.Slow);
        var measured = new ConcurrentQueue<(string Metric, KeyValuePair<string, object?>[] Tags, long Value)>();
        var factory = suite.Gateway.Services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == factory && instrument.Name.StartsWith("ragsuite.gateway.auth.", StringComparison.Ordinal)) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            measured.Enqueue((instrument.Name.Replace('.', '_') + "_total", tags.ToArray(), value)));
        listener.Start();

        Assert.Equal(200, (int)(await reader.GetAsync("/v1/collections/docs")).StatusCode);
        Assert.Equal(200, (int)(await reader.GetAsync("/v1/collections/docs")).StatusCode);
        Assert.Equal(404, (int)(await reader.GetAsync("/v1/collections/docs/documents/absent")).StatusCode);
        Assert.Equal(403, (int)(await reader.PostAsync("/v1/collections", Json("""{"name": "x"}"""))).StatusCode);
        Assert.Equal(403, (int)(await reader.PostAsync("/v1/query", Json("""{"question": "x", "collection": "other"}"""))).StatusCode);
        Assert.Equal(401, (int)(await anonymous.GetAsync("/v1/collections")).StatusCode);
        Assert.Equal(401, (int)(await unknown.GetAsync("/v1/collections")).StatusCode);
        var statuses = new List<int>();
        for (var i = 0; i < 3; i++) statuses.Add((int)(await slow.GetAsync("/v1/collections/docs")).StatusCode);
        Assert.Contains(429, statuses);
        var limited = statuses.Count(s => s == 429);

        var expected = new (string Metric, (string, string)[] Labels, double Increase, bool Exact)[]
        {
            (Requests, [("key", "counted"), ("outcome", ApiKeyMetrics.Success)], 2, true),
            (Requests, [("key", "counted"), ("outcome", ApiKeyMetrics.ClientError)], 1, true),
            (Requests, [("key", "counted"), ("outcome", ApiKeyMetrics.Rejected)], 2, true),
            (Requests, [("key", "counted"), ("outcome", ApiKeyMetrics.ServerError)], 0, true),
            (Requests, [("key", ApiKeyMetrics.Anonymous), ("outcome", ApiKeyMetrics.Rejected)], 2, false),
            (Requests, [("key", "slow"), ("outcome", ApiKeyMetrics.Rejected)], limited, false),
            (Rejections, [("reason", ApiKeyRejection.MissingKey)], 1, false),
            (Rejections, [("reason", ApiKeyRejection.UnknownKey)], 1, false),
            (Rejections, [("reason", ApiKeyRejection.Role)], 1, false),
            (Rejections, [("reason", ApiKeyRejection.Scope)], 1, false),
            (Rejections, [("reason", ApiKeyRejection.RateLimit)], limited, false),
        };
        // A request is counted as its response completes, a moment after the client has it; wait until the counts have arrived.
        var clock = Stopwatch.StartNew();
        while (expected.Any(e => Increase(measured, e.Metric, e.Labels) < e.Increase) && clock.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50);

        var after = await ScrapeAsync();
        Assert.Contains(Requests, after, StringComparison.Ordinal);
        Assert.Contains(Rejections, after, StringComparison.Ordinal);
        foreach (var (metric, labels, increase, exact) in expected)
        {
            var rose = Increase(measured, metric, labels);
            Assert.True(exact ? rose == increase : rose >= increase,
                $"{metric}{{{string.Join(',', labels)}}} rose by {rose}, not {(exact ? "" : "at least ")}{increase}");
        }
        // Keys never reach a label.
        Assert.DoesNotContain(SecuritySuite.Counted, after);
        Assert.DoesNotContain("rsk_not_a_key", after);
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    private static double Increase(IEnumerable<(string Metric, KeyValuePair<string, object?>[] Tags, long Value)> measured, string metric,
        (string Key, string Value)[] labels) =>
        measured.Where(m => m.Metric == metric && labels.All(l => m.Tags.Any(t => t.Key == l.Key && Equals(t.Value, l.Value)))).Sum(m => m.Value);

    private async Task<string> ScrapeAsync()
    {
        using var client = suite.CreateClient(null);
        return await client.GetStringAsync("/metrics");
    }
}
