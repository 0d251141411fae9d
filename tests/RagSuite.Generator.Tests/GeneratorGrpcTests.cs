using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using RagSuite.Contracts.V1;
using RagSuite.Testing;
using GeneratorClient = RagSuite.Contracts.V1.Generator.GeneratorClient;

namespace RagSuite.Generator.Tests;

/// <summary>The generator's streaming gRPC contract over a real Kestrel socket on loopback.</summary>
public sealed class GeneratorGrpcTests : IAsyncLifetime
{
    private static readonly SourcePassage[] Passages =
    [
        new() { Id = "a", Text = "Mach number is the ratio of flow speed to the speed of sound. It is named after Ernst Mach." },
        new() { Id = "b", Text = "The speed of sound in dry air at 20 degrees Celsius is about 343 metres per second." },
    ];

    private RunningHost _host = null!;
    private GrpcChannel _channel = null!;
    private GeneratorClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await RunningHost.StartAsync(GeneratorHost.Build, GrpcServiceChecks.ReflectionOn);
        _channel = GrpcChannel.ForAddress(_host.GrpcAddress);
        _client = new GeneratorClient(_channel);
    }

    private async Task<List<GenerateEvent>> GenerateAsync(GenerateRequest request)
    {
        using var call = _client.Generate(request);
        var events = new List<GenerateEvent>();
        await foreach (var item in call.ResponseStream.ReadAllAsync()) events.Add(item);
        return events;
    }

    [Fact]
    public async Task Answer_streams_as_deltas_then_one_result_with_citations()
    {
        var events = await GenerateAsync(new GenerateRequest { Question = "What is the speed of sound in air?", Passages = { Passages } });

        Assert.All(events[..^1], e => Assert.Equal(GenerateEvent.EventOneofCase.Delta, e.EventCase));
        var result = events[^1].Result;
        Assert.Equal("extractive", result.Mode);
        Assert.Equal("stop", result.FinishReason);
        var answer = string.Concat(events[..^1].Select(e => e.Delta));
        Assert.StartsWith("The speed of sound in dry air", answer);
        Assert.Contains("[2]", answer);
        Assert.Equal(2, result.CitedPassages[0]);
        Assert.All(result.CitedPassages, n => Assert.Contains($"[{n}]", answer));
        Assert.True(result.CompletionTokens > 5);
    }

    [Fact]
    public async Task Stop_sequence_cuts_the_answer()
    {
        var events = await GenerateAsync(new GenerateRequest
        {
            Question = "What is the speed of sound in air?", Passages = { Passages }, Parameters = new GenerationParameters { Stop = { "343" } },
        });

        var answer = string.Concat(events.Where(e => e.EventCase == GenerateEvent.EventOneofCase.Delta).Select(e => e.Delta));
        Assert.EndsWith("is about ", answer);
        Assert.Equal("stop", events[^1].Result.FinishReason);
    }

    [Fact]
    public async Task No_passages_gives_an_honest_no_answer()
    {
        var events = await GenerateAsync(new GenerateRequest { Question = "What is Mach number?" });

        Assert.Equal("no_answer", events[^1].Result.FinishReason);
        Assert.Empty(events[^1].Result.CitedPassages);
    }

    public static TheoryData<string> BadRequests => ["empty question", "unknown mode", "temperature", "top_p", "max_tokens", "stop"];

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_requests_are_INVALID_ARGUMENT_naming_the_field(string name)
    {
        var request = new GenerateRequest { Question = "What is Mach number?", Passages = { Passages }, Parameters = new GenerationParameters() };
        var field = name switch
        {
            "empty question" => Set(() => request.Question = " ", "question"),
            "unknown mode" => Set(() => request.Mode = "gpt-9", "mode"),
            "temperature" => Set(() => request.Parameters.Temperature = -1, "parameters.temperature"),
            "top_p" => Set(() => request.Parameters.TopP = 1.5f, "parameters.top_p"),
            "max_tokens" => Set(() => request.Parameters.MaxTokens = 0, "parameters.max_tokens"),
            _ => Set(() => request.Parameters.Stop.Add(new string('x', 65)), "parameters.stop"),
        };

        var error = await Assert.ThrowsAsync<RpcException>(() => GenerateAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(field, error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations.Select(v => v.Field));
    }

    [Fact]
    public async Task Health_reflection_and_metrics_are_served()
    {
        await GenerateAsync(new GenerateRequest { Question = "What is Mach number?", Passages = { Passages } });
        Assert.Equal("extractive", (await _client.GetInfoAsync(new GetGeneratorInfoRequest())).DefaultMode);

        await GrpcServiceChecks.AssertStandardServicesAsync(_host, _channel, "ragsuite.v1.Generator", "ragsuite_generator_answers_total");
    }

    private static string Set(Action change, string field)
    {
        change();
        return field;
    }

    public async Task DisposeAsync()
    {
        _channel.Dispose();
        await _host.DisposeAsync();
    }
}
