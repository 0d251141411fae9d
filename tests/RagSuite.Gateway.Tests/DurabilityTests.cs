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

    /// <summary>
    /// A gateway ingesting from four clients is killed with SIGKILL at a random moment, twenty times over, with segments
    /// and checkpoints small enough that kills land in rotations, checkpoints and compactions too. After every restart,
    /// every write that was acknowledged before any kill is there.
    /// </summary>
    [Fact]
    public async Task Killed_process_loses_no_acknowledged_write_across_twenty_kills()
    {
        const int kills = 20, clients = 4;
        var seed = Environment.TickCount;
        var random = new Random(seed);
        using var data = new TemporaryDirectory();
        var acknowledged = new List<string>();
        string[] settings = ["--RagSuite:Retriever:SegmentBytes=16384", "--RagSuite:Retriever:CheckpointBytes=8192"];
        for (var round = 0; round <= kills; round++)
        {
            using var process = GatewayProcess.Start(data.Path, out var address, settings);
            try
            {
                using var client = new HttpClient { BaseAddress = address };
                await GatewayProcess.WaitUntilReadyAsync(client);
                if (round == 0) await client.CreateCollectionAsync("durable");
                await AssertAllPresentAsync(client, acknowledged, $"after restart {round} (seed {seed})");
                if (round == kills) break;

                // Keep writing while the process is killed, so writes are in flight when it dies.
                var writers = Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
                {
                    for (var i = 0; ; i++)
                    {
                        var id = $"r{round}-c{c}-{i}";
                        try
                        {
                            var (status, _) = await client.PostAsync("/v1/collections/durable/documents",
                                new { documents = new[] { new { id, text = $"Round {round} client {c} wrote measurement {1000 + i} of the wind tunnel." } } });
                            if (status == 200) lock (acknowledged) acknowledged.Add(id);
                        }
                        catch (HttpRequestException)
                        {
                            return; // the process is gone
                        }
                    }
                })).ToList();
                await Task.Delay(random.Next(50, 1500));
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                await Task.WhenAll(writers);
            }
            finally
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
            }
        }
        Assert.True(acknowledged.Count > kills * 5, $"only {acknowledged.Count} writes were acknowledged across {kills} kills");
    }

    private static async Task AssertAllPresentAsync(HttpClient client, List<string> acknowledged, string when)
    {
        string[] expected;
        lock (acknowledged) expected = [.. acknowledged];
        await Parallel.ForEachAsync(expected, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (id, _) =>
        {
            var (status, document) = await client.SendJsonAsync(HttpMethod.Get, $"/v1/collections/durable/documents/{id}");
            Assert.True(status == 200, $"acknowledged document {id} is missing {when}");
            Assert.Equal(1, document!["chunks"]!.GetValue<int>());
        });
    }

    private static List<(string, float)> Ranking(JsonNode response) =>
        [.. response["results"]!.AsArray().Select(r => (r!["chunk_id"]!.GetValue<string>(), r["score"]!.GetValue<float>()))];
}
