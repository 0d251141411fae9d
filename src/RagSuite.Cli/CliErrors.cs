using System.CommandLine;
using Spectre.Console;

namespace RagSuite.Cli;

/// <summary>Turns the failures a user can cause or fix into one red line and exit code 1, instead of a stack trace.</summary>
internal static class CliErrors
{
    public static Func<ParseResult, CancellationToken, Task<int>> Handle(Func<ParseResult, CancellationToken, Task<int>> action) =>
        async (parse, cancellationToken) =>
        {
            try
            {
                return await action(parse, cancellationToken);
            }
            catch (Exception e) when (e is GatewayException or FileNotFoundException or DirectoryNotFoundException
                or InvalidDataException or IOException or HttpRequestException or InvalidOperationException or ArgumentException
                or Models.Store.ModelPullException or Microsoft.Extensions.Options.OptionsValidationException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {e.Message}");
                return 1;
            }
        };
}
