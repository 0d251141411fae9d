using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using RagSuite.Testing;
using RagSuite.Testing.OpenAi;
using Xunit.Abstractions;

namespace RagSuite.Gateway.Tests.Observability;

/// <summary>
/// What the gateway writes to its console, read from a gateway process of its own: the real logging providers at the
/// real default levels, not a test's stand-in.
/// </summary>
public sealed class GatewayLogTests(ITestOutputHelper output)
{
    private const string Question = "Which zirconium quokka guards the lattice?";

    private static readonly object Document = new
    {
        id = "almanac-7",
        title = "Quetzalcoatl Almanac",
        text = "The zirconium quokka guards the xylophonic lattice every marmalade evening. It was completed in 1889.",
        metadata = new { owner = "plover-confidential" },
    };

    [Fact]
    public async Task At_the_default_levels_no_question_document_text_metadata_or_upstream_key_reaches_the_log()
    {
        var secret = "sk-planted-" + Guid.NewGuid().ToString("N");
        using var data = new TemporaryDirectory("ragsuite-logs");
        var keyFile = Path.Combine(data.Path, "upstream-key");
        await File.WriteAllTextAsync(keyFile, secret);
        await using var upstream = await TestUpstream.StartAsync("served");
        var lines = new ConcurrentQueue<string>();

        await RunGatewayAsync(data, lines, async client =>
        {
            await client.CreateCollectionAsync("private");
            await client.IngestAsync("private", Document);
            await client.QueryAsync(new { question = Question, collection = "private" });
            // The failure path logs more (fallbacks, warnings) than the happy one.
            upstream.Behave(new UpstreamBehavior.Fail(500));
            await client.QueryAsync(new { question = Question, collection = "private" });
        },
        [
            // The defaults, stated: GatewayProcess quiets the log to warnings, this test audits what an operator gets.
            "--Logging:LogLevel:Default=Information",
            "--RagSuite:Generator:Upstreams:0:Name=vllm", $"--RagSuite:Generator:Upstreams:0:BaseUrl={upstream.BaseUrl}",
            "--RagSuite:Generator:Upstreams:0:Model=served", $"--RagSuite:Generator:Upstreams:0:ApiKeyFile={keyFile}",
        ]);

        Assert.Contains($"Bearer {secret}", upstream.Authorizations);
        var log = string.Join(Environment.NewLine, lines);
        output.WriteLine(log);
        Assert.NotEmpty(lines);
        string[] private_ = ["zirconium", "quokka", "xylophonic", "marmalade", "Quetzalcoatl", "plover-confidential", secret];
        foreach (var word in private_) Assert.DoesNotContain(word, log, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Json_log_lines_parse_and_carry_the_requests_trace_id()
    {
        using var data = new TemporaryDirectory("ragsuite-logs");
        var lines = new ConcurrentQueue<string>();
        var trace = ActivityTraceId.CreateRandom();

        await RunGatewayAsync(data, lines, async client =>
        {
            await client.CreateCollectionAsync("traced");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/query")
            {
                Content = JsonContent.Create(new { question = "anything at all", collection = "traced" }),
            };
            var caller = ActivitySpanId.CreateRandom();
            request.Headers.Add("traceparent", $"00-{trace.ToHexString()}-{caller.ToHexString()}-01");
            // The call is made from inside a span of the trace too. Any in-process host another test has started in this
            // process (RunningHost) brings an OpenTelemetry HttpClient instrumentation that instruments every HttpClient here
            // and replaces a hand-set traceparent with its own span's, a new trace when none is current: the gateway then
            // logs the request under a trace id this test never sees. From inside this span, that span is one of ours.
            using var span = new Activity("log-test caller").SetParentId(trace, caller, ActivityTraceFlags.Recorded).Start();
            using var response = await client.SendAsync(request);
            span.Stop();
            Assert.True(response.IsSuccessStatusCode, $"the query failed with {(int)response.StatusCode}");
        },
        [
            "--RagSuite:Hosting:LogFormat=json",
            // The request log is what is sure to be written during a request; it is off by default.
            "--Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics=Information",
        ]);

        Assert.NotEmpty(lines);
        var entries = lines.Select(line =>
        {
            try
            {
                return JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException e)
            {
                throw new Xunit.Sdk.XunitException($"a log line is not JSON ({e.Message}): {line}");
            }
        }).ToList();
        Assert.All(entries, e => Assert.True(e.TryGetProperty("LogLevel", out _) && e.TryGetProperty("Category", out _)));
        var during = entries.Where(e => e.TryGetProperty("Scopes", out var scopes)
            && scopes.EnumerateArray().Any(s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("TraceId", out var id)
                && id.GetString() == trace.ToHexString()))
            .ToList();
        Assert.NotEmpty(during);
        Assert.All(during, e => Assert.Contains(e.GetProperty("Scopes").EnumerateArray(),
            s => s.ValueKind == JsonValueKind.Object && s.TryGetProperty("SpanId", out var span) && span.GetString()!.Length == 16));
    }

    /// <summary>
    /// Runs a gateway process through <paramref name="exercise"/>, then stops it gracefully and waits for the end of its
    /// output: <paramref name="lines"/> then holds everything it logged, without guessing how far its console logger's
    /// queue, or this process's reading of the pipe, lags on a loaded machine.
    /// </summary>
    private static async Task RunGatewayAsync(TemporaryDirectory data, ConcurrentQueue<string> lines, Func<HttpClient, Task> exercise,
        string[] settings)
    {
        using var process = GatewayProcess.Start(data.Path, out var address, lines.Enqueue, settings);
        try
        {
            using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(1) };
            await GatewayProcess.WaitUntilReadyAsync(client);
            await exercise(client);
        }
        finally
        {
            await GatewayProcess.StopAsync(process, TimeSpan.FromSeconds(30));
        }
    }
}
