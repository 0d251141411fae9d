using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace RagSuite.Gateway.Tests.Harness;

/// <summary>One answered (or failed) query of a <see cref="QueryLoad"/>: when it started, how long it took, and how it ended.</summary>
internal sealed record QueryOutcome(TimeSpan Started, double LatencyMs, int Status, string? Failure, IReadOnlyList<string> Degraded);

/// <summary>
/// An open-loop query load: one <c>POST /v1/query</c> every 1/rate seconds, whether or not earlier ones have answered
/// (a slow gateway gets no fewer requests), for a fixed time; each outcome kept, with the services the answer says it
/// fell back from.
/// </summary>
internal static class QueryLoad
{
    public static async Task<IReadOnlyList<QueryOutcome>> RunAsync(HttpClient client, IReadOnlyList<object> bodies, double rate,
        TimeSpan duration, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var interval = TimeSpan.FromSeconds(1 / rate);
        var total = (int)(duration.TotalSeconds * rate);
        var running = new List<Task<QueryOutcome>>(total);
        for (var i = 0; i < total; i++)
        {
            var due = interval * i;
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed, cancellationToken);
            running.Add(AskAsync(client, bodies[i % bodies.Count], clock, cancellationToken));
        }
        return await Task.WhenAll(running);
    }

    private static async Task<QueryOutcome> AskAsync(HttpClient client, object body, Stopwatch clock, CancellationToken cancellationToken)
    {
        var started = clock.Elapsed;
        try
        {
            using var response = await client.PostAsJsonAsync("/v1/query", body, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var latency = (clock.Elapsed - started).TotalMilliseconds;
            if (!response.IsSuccessStatusCode) return new(started, latency, (int)response.StatusCode, text, []);
            var degraded = JsonNode.Parse(text)!["degraded"]?.AsArray().Select(d => d!["service"]!.GetValue<string>()).ToList() ?? [];
            return new(started, latency, 200, null, degraded);
        }
        catch (HttpRequestException e)
        {
            return new(started, (clock.Elapsed - started).TotalMilliseconds, 0, e.Message, []);
        }
    }
}
