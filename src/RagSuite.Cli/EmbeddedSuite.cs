using System.CommandLine;
using RagSuite.Cli.Commands;

namespace RagSuite.Cli;

/// <summary>
/// How a command runs the suite in-process when it has no <c>--server</c>: its data and models directories and any
/// <c>--Section:Key=value</c> settings after the options (for example <c>--RagSuite:Embedder:Model=use-lite-int8</c>).
/// </summary>
public sealed record EmbeddedSuite(string Data, string Models, IReadOnlyList<string> Settings)
{
    internal static EmbeddedSuite From(ParseResult parse, Option<string> data, Option<string> models, Option<string?>? store = null)
    {
        foreach (var token in parse.UnmatchedTokens)
        {
            if (!token.StartsWith("--", StringComparison.Ordinal) || !token.Contains(':') || !token.Contains('='))
            {
                throw new InvalidOperationException($"Unrecognised argument '{token}'. Settings for the embedded suite take the form --Section:Key=value.");
            }
        }
        return new(parse.GetValue(data)!, parse.GetValue(models)!, [.. store is null ? [] : CommonOptions.StoreSetting(parse, store), .. parse.UnmatchedTokens]);
    }
}
