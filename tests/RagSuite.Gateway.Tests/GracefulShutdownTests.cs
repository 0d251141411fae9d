using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using RagSuite.Testing;
using RagSuite.Testing.OpenAi;

namespace RagSuite.Gateway.Tests;

/// <summary>
/// SIGTERM drains: the gateway says it is not ready at once (balancers stop sending it work), keeps serving for its
/// drain delay, then stops accepting but finishes what is in flight: an answer streaming token by token runs to its end,
/// and the process exits cleanly afterwards.
/// </summary>
public sealed class GracefulShutdownTests
{
    [Fact]
    public async Task Sigterm_reports_draining_and_lets_a_streaming_answer_finish_before_exiting()
    {
        await using var upstream = await TestUpstream.StartAsync("served");
        upstream.Behave(new UpstreamBehavior.Answer(TokenDelay: TimeSpan.FromMilliseconds(200)));
        using var data = new TemporaryDirectory("ragsuite-drain");
        using var gateway = GatewayProcess.Start(data.Path, out var address,
            "--RagSuite:Embedder:Model=", "--RagSuite:Hosting:DrainDelay=00:00:02", "--RagSuite:Hosting:ShutdownTimeout=00:00:30",
            "--RagSuite:Generator:Upstreams:0:Name=vllm", $"--RagSuite:Generator:Upstreams:0:BaseUrl={upstream.BaseUrl}",
            "--RagSuite:Generator:Upstreams:0:Model=served");
        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
        await GatewayProcess.WaitUntilReadyAsync(client);
        await client.CreateCollectionAsync("docs");
        await client.IngestAsync("docs", TestDocuments.All);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/query")
        {
            Content = JsonContent.Create(new { question = "When was the Eiffel Tower completed?", collection = "docs", stream = true }),
        };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var events = SseParser.Create(await response.Content.ReadAsStreamAsync()).EnumerateAsync().GetAsyncEnumerator();
        var deltas = 0;
        while (await events.MoveNextAsync() && deltas == 0) deltas += events.Current.EventType == "delta" ? 1 : 0;

        var signalled = System.Diagnostics.Stopwatch.StartNew();
        var stopped = GatewayProcess.StopAsync(gateway, TimeSpan.FromSeconds(60));
        using var probe = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        // The signal arrives a moment after kill(1) returns; within the drain delay readiness must have turned.
        var readiness = HttpStatusCode.OK;
        for (var i = 0; i < 40 && readiness == HttpStatusCode.OK; i++)
        {
            using var ready = await probe.GetAsync("/readyz");
            readiness = ready.StatusCode;
            if (readiness == HttpStatusCode.OK) await Task.Delay(25);
        }
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness);

        var last = "";
        while (await events.MoveNextAsync())
        {
            last = events.Current.EventType;
            if (last == "delta") deltas++;
        }
        var streamedFor = signalled.Elapsed;
        await stopped;

        Assert.Equal("done", last);
        // Past the 2 s drain delay: the server had stopped accepting and still finished the stream.
        Assert.True(streamedFor > TimeSpan.FromSeconds(2), $"the answer ended {streamedFor.TotalSeconds:0.0} s after SIGTERM, within the drain delay");
        Assert.True(deltas > 5, $"only {deltas} deltas arrived");
        Assert.Equal(0, gateway.ExitCode);
    }
}
