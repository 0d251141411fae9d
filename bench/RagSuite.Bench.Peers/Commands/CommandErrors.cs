using System.CommandLine;

namespace RagSuite.Bench.Peers.Commands;

/// <summary>Turns the failures a user can fix (a wrong path, a server not started) into one line and exit code 1.</summary>
internal static class CommandErrors
{
    public static Func<ParseResult, CancellationToken, Task<int>> Handle(Func<ParseResult, CancellationToken, Task<int>> action) =>
        async (parse, cancellationToken) =>
        {
            try
            {
                return await action(parse, cancellationToken);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException
                or HttpRequestException or ArgumentException or InvalidOperationException or Grpc.Core.RpcException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 1;
            }
        };
}
