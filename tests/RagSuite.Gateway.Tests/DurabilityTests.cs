using System.Text.Json.Nodes;
using RagSuite.Testing;

namespace RagSuite.Gateway.Tests;

/// <summary>Data outlives the process: a clean restart answers identically, and a killed process loses no acknowledged write.</summary>
public sealed class DurabilityTests
{
    private static readonly object Query = new { question = "When was the tower built?", collection = "durable", top_k = 10 };

    [Fact]
    public async Task Restart_returns_the_same_results_for_the_same_query()
    {
        using var data = new TemporaryDirectory();
        JsonNode before;
        await using (var first = await RunningHost.StartAsync(GatewayHost.Build, $"RagSuite:Retriever:DataDirectory={data.Path}"))
        {
            using var client = first.CreateHttpClient();
            await client.CreateCollectionAsync("durable");
            await client.IngestAsync("durable", TestDocuments.All);
            await client.IngestAsync("durable", new { id = "eiffel", text = "The Eiffel Tower was built from 1887 to 1889 by Gustave Eiffel's company." });
            Assert.Equal(204, (await client.SendJsonAsync(HttpMethod.Delete, "/v1/collections/durable/documents/photosynthesis")).Status);
            before = await client.QueryAsync(Query);
        }

        await using var second = await RunningHost.StartAsync(GatewayHost.Build, $"RagSuite:Retriever:DataDirectory={data.Path}");
        using var again = second.CreateHttpClient();
        var after = await again.QueryAsync(Query);

        Assert.Equal(Ranking(before), Ranking(after));
        Assert.Equal(before["answer"]!.GetValue<string>(), after["answer"]!.GetValue<string>());
        Assert.Contains("1887", after["answer"]!.GetValue<string>());
        var collection = (await again.SendJsonAsync(HttpMethod.Get, "/v1/collections/durable")).Body!;
        Assert.Equal(2, collection["document_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task Killed_process_loses_no_acknowledged_write()
    {
        using var data = new TemporaryDirectory();
        var acknowledged = new List<string>();
        using (var process = GatewayProcess.Start(data.Path, out var address))
        {
            using var client = new HttpClient { BaseAddress = address };
            await GatewayProcess.WaitUntilReadyAsync(client);
            await client.CreateCollectionAsync("durable");

            // Keep writing while the process is killed, so some write is in flight when it dies.
            using var stop = new CancellationTokenSource();
            var writer = Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var id = $"doc-{i}";
                    try
                    {
                        var (status, _) = await client.PostAsync("/v1/collections/durable/documents",
                            new { documents = new[] { new { id, text = $"Document {i} records measurement {1000 + i * 7} of the wind tunnel." } } });
                        if (status == 200) lock (acknowledged) acknowledged.Add(id);
                    }
                    catch (HttpRequestException)
                    {
                        return; // the process is gone
                    }
                }
            });
            // Measurements start at 1000 so that no document's measurement is another's number (doc-3 measured 21 once,
            // and tied with doc-21 for the query below). Kill once enough writes are in (however slow this machine's disk is), mid-stream of more.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline && !writer.IsCompleted)
            {
                lock (acknowledged) if (acknowledged.Count >= 20) break;
                await Task.Delay(20);
            }
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await stop.CancelAsync();
            await writer;
        }
        Assert.True(acknowledged.Count > 5, $"only {acknowledged.Count} writes were acknowledged before the kill");

        await using var restarted = await RunningHost.StartAsync(GatewayHost.Build, $"RagSuite:Retriever:DataDirectory={data.Path}");
        using var again = restarted.CreateHttpClient();
        foreach (var id in acknowledged)
        {
            var (status, document) = await again.SendJsonAsync(HttpMethod.Get, $"/v1/collections/durable/documents/{id}");
            Assert.True(status == 200, $"acknowledged document {id} is missing after the kill");
            Assert.Equal(1, document!["chunks"]!.GetValue<int>());
        }
        var last = acknowledged[^1];
        var found = await again.QueryAsync(new { question = $"Document {last[4..]} measurement", collection = "durable", generate = false });
        Assert.Equal(last, found["results"]![0]!["document_id"]!.GetValue<string>());
    }

    private static List<(string, float)> Ranking(JsonNode response) =>
        [.. response["results"]!.AsArray().Select(r => (r!["chunk_id"]!.GetValue<string>(), r["score"]!.GetValue<float>()))];
}
