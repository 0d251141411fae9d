using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace RagSuite.Cli.Evaluation;

/// <summary>
/// The service hosts' own time per gRPC call, as ASP.NET Core measures it (<c>http.server.request.duration</c> of the
/// hosts started in this process, by route: <c>/ragsuite.v1.Reranker/Rerank</c> and so on): from the moment the host has
/// the request until its response is written, so everything a service does for a call, the gRPC framework's part
/// included. The gateway's stage time minus this is the hop: the client, the channel and the wire. Only calls made
/// while a sink is set are kept, so the benchmark attributes them to the block it is running.
/// </summary>
public sealed class HopMeter : IDisposable
{
    private const string ContractPrefix = "/ragsuite.v1.";
    private readonly MeterListener _listener = new();
    private volatile ConcurrentQueue<(string Route, double Ms)>? _sink;

    public HopMeter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument is { Meter.Name: "Microsoft.AspNetCore.Hosting", Name: "http.server.request.duration" })
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>Where calls go from now on (null: nowhere).</summary>
    public ConcurrentQueue<(string Route, double Ms)>? Sink
    {
        get => _sink;
        set => _sink = value;
    }

    /// <summary>The method path of the gRPC call a gateway stage makes.</summary>
    public static string RouteOf(string stage) => stage switch
    {
        "embed" => ContractPrefix + "Embedder/Embed",
        "retrieve" => ContractPrefix + "Retriever/Search",
        "rerank" => ContractPrefix + "Reranker/Rerank",
        "generate" => ContractPrefix + "Generator/Generate",
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "not a query stage"),
    };

    private void OnMeasurement(Instrument instrument, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (_sink is not { } sink) return;
        foreach (var tag in tags)
        {
            if (tag is { Key: "http.route", Value: string route } && route.StartsWith(ContractPrefix, StringComparison.Ordinal))
            {
                sink.Enqueue((route, seconds * 1000));
                return;
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
