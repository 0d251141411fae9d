using System.CommandLine;
using RagSuite.Bench.Peers.Measurement;

namespace RagSuite.Bench.Peers.Commands;

/// <summary>The options that bound how long each engine is driven (see <see cref="LoadSettings"/>).</summary>
internal sealed class LoadOptions
{
    private readonly Option<double> _seconds = new("--seconds") { Description = "Measured time per engine and client count (whole passes; at least one)", DefaultValueFactory = _ => 10 };
    private readonly Option<int> _maxPasses = new("--max-passes") { Description = "At most this many measured passes over the queries", DefaultValueFactory = _ => 1000 };
    private readonly Option<int> _warmUpPasses;
    private readonly Option<double> _warmUpSeconds = new("--warmup-seconds") { Description = "Warm-up stops after this long", DefaultValueFactory = _ => 5 };

    public LoadOptions(int warmUpPasses) =>
        _warmUpPasses = new("--warmup-passes") { Description = "Unmeasured passes over the queries first", DefaultValueFactory = _ => warmUpPasses };

    public void AddTo(Command command)
    {
        command.Options.Add(_seconds);
        command.Options.Add(_maxPasses);
        command.Options.Add(_warmUpPasses);
        command.Options.Add(_warmUpSeconds);
    }

    public LoadSettings Read(ParseResult parse) =>
        new(parse.GetValue(_warmUpPasses), parse.GetValue(_warmUpSeconds), parse.GetValue(_seconds), Math.Max(1, parse.GetValue(_maxPasses)));
}
