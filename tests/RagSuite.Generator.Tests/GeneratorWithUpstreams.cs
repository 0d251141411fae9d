using Grpc.Core;
using Grpc.Net.Client;
using RagSuite.Contracts.V1;
using RagSuite.Testing;
using RagSuite.Testing.OpenAi;
using GeneratorClient = RagSuite.Contracts.V1.Generator.GeneratorClient;

namespace RagSuite.Generator.Tests;

/// <summary>
/// A generator host over gRPC with test upstreams named a, b, … on loopback, each a <see cref="TestUpstream"/>.
/// Timeouts are generous, so that a loaded machine never turns an answer into a fallback; tests of stalls shorten
/// them with <see cref="ShortTimeouts"/>. The breaker opens after two failures and tries again after half a second.
/// </summary>
public sealed class GeneratorWithUpstreams : IAsyncDisposable
{
    public static readonly SourcePassage[] Passages =
    [
        new() { Id = "tower", Title = "Eiffel Tower", Text = "The Eiffel Tower in Paris was completed in 1889. It is 330 metres tall." },
        new() { Id = "gate", Title = "Brandenburg Gate", Text = "The Brandenburg Gate in Berlin was built from 1788 to 1791. It has twelve columns." },
        new() { Id = "bridge", Title = "Tower Bridge", Text = "Tower Bridge in London opened in 1894. It crosses the River Thames." },
    ];

    private readonly GrpcChannel _channel;

    private GeneratorWithUpstreams(RunningHost host, IReadOnlyList<TestUpstream> upstreams)
    {
        Host = host;
        Upstreams = upstreams;
        _channel = GrpcChannel.ForAddress(host.GrpcAddress);
        Client = new GeneratorClient(_channel);
    }

    public RunningHost Host { get; }

    public IReadOnlyList<TestUpstream> Upstreams { get; }

    public GeneratorClient Client { get; }

    public TestUpstream this[int index] => Upstreams[index];

    /// <summary>Starts <paramref name="count"/> upstreams and a generator routed over them, plus any further settings.</summary>
    public static async Task<GeneratorWithUpstreams> StartAsync(int count, params string[] settings)
    {
        var upstreams = new List<TestUpstream>();
        for (var i = 0; i < count; i++) upstreams.Add(await TestUpstream.StartAsync($"model-{Name(i)}"));
        var config = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var at = $"RagSuite:Generator:Upstreams:{i}";
            config.AddRange([
                $"{at}:Name={Name(i)}", $"{at}:BaseUrl={upstreams[i].BaseUrl}", $"{at}:Model=model-{Name(i)}",
                $"{at}:FirstTokenTimeoutSeconds=20", $"{at}:IdleTimeoutSeconds=20", $"{at}:TimeoutSeconds=60",
                $"{at}:BreakerMinimumThroughput=2", $"{at}:BreakerFailureRatio=0.5", $"{at}:BreakerSamplingSeconds=30", $"{at}:BreakerBreakSeconds=0.5",
            ]);
        }
        var host = await RunningHost.StartAsync(GeneratorHost.Build, [.. config, .. settings]);
        return new GeneratorWithUpstreams(host, upstreams);
    }

    /// <summary>Settings that give upstream <paramref name="index"/> half-second first-token and idle timeouts.</summary>
    public static string[] ShortTimeouts(int index) =>
        [$"RagSuite:Generator:Upstreams:{index}:FirstTokenTimeoutSeconds=0.5", $"RagSuite:Generator:Upstreams:{index}:IdleTimeoutSeconds=0.5"];

    public static string Name(int index) => ((char)('a' + index)).ToString();

    public static GenerateRequest Request(string question = "How tall is the Eiffel Tower?", string collection = "docs", bool buffered = false)
    {
        var request = new GenerateRequest { Question = question, Collection = collection, Buffered = buffered };
        request.Passages.AddRange(Passages);
        return request;
    }

    public async Task<(string Answer, GenerateResult Result, int Deltas)> GenerateAsync(GenerateRequest request)
    {
        using var call = Client.Generate(request);
        var answer = "";
        var deltas = 0;
        GenerateResult? result = null;
        await foreach (var item in call.ResponseStream.ReadAllAsync())
        {
            if (item.EventCase == GenerateEvent.EventOneofCase.Delta)
            {
                answer += item.Delta;
                deltas++;
            }
            else result = item.Result;
        }
        return (answer, result ?? throw new InvalidOperationException("the stream ended without a result"), deltas);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await Host.DisposeAsync();
        foreach (var upstream in Upstreams) await upstream.DisposeAsync();
    }
}
