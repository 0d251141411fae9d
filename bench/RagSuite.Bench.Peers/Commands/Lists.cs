using System.CommandLine;
using System.Globalization;

namespace RagSuite.Bench.Peers.Commands;

/// <summary>Comma-separated option values such as <c>--clients 1,4</c>.</summary>
internal static class Lists
{
    public static Option<IReadOnlyList<int>> Integers(string name, string description, params int[] defaults) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaults,
            CustomParser = result => result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(v => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0
                    ? n
                    : throw new ArgumentException($"{name}: '{v}' is not a positive whole number"))
                .ToList(),
        };

    public static Option<IReadOnlyList<string>> Words(string name, string description, params string[] defaults) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaults,
            CustomParser = result => result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(w => w.ToLowerInvariant()).ToList(),
        };
}
