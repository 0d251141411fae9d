using System.CommandLine;
using RagSuite.Gateway.Auth;

namespace RagSuite.Cli.Commands;

/// <summary>
/// <c>ragsuite keys new|hash</c>: make an API key, and the SHA-256 the gateway's key file holds for it. The key is read
/// from standard input, never from an argument, so it stays out of shell history and process lists.
/// </summary>
internal static class KeysCommand
{
    public static Command Create()
    {
        var command = new Command("keys", "Make API keys and the hashes the gateway's key file (RagSuite:Gateway:Auth:KeysFile) holds");
        command.Subcommands.Add(New());
        command.Subcommands.Add(Hash());
        return command;
    }

    private static Command New()
    {
        var command = new Command("new", "Print a new random key and, on the next line, its sha256 for the key file");
        command.SetAction(parse =>
        {
            var key = ApiKeyHash.NewKey();
            parse.InvocationConfiguration.Output.WriteLine(key);
            parse.InvocationConfiguration.Output.WriteLine(ApiKeyHash.Hex(key));
            return 0;
        });
        return command;
    }

    private static Command Hash()
    {
        var command = new Command("hash", "Read a key from standard input and print its sha256 for the key file (one trailing newline is ignored)");
        command.SetAction(async (parse, cancellationToken) =>
        {
            var key = await Console.In.ReadToEndAsync(cancellationToken);
            // `echo "$KEY" |` adds a newline that is no part of the key.
            if (key.EndsWith('\n')) key = key[..^1];
            if (key.EndsWith('\r')) key = key[..^1];
            if (key.Length == 0)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("No key on standard input: printf %s \"$KEY\" | ragsuite keys hash");
                return 2;
            }
            await parse.InvocationConfiguration.Output.WriteLineAsync(ApiKeyHash.Hex(key));
            return 0;
        });
        return command;
    }
}
