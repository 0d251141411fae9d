using System.CommandLine;

namespace RagSuite.Cli.Tests;

/// <summary><c>ragsuite keys</c>: the hashes it prints are what <c>sha256sum</c> prints, and what the gateway's key file holds.</summary>
// Standard input is the process's: the console collection runs one such test at a time.
[Collection("console")]
public sealed class KeysCommandTests
{
    [Theory]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abc\n", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")] // echo's newline is no part of the key
    [InlineData("abc\r\n", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    public async Task Keys_hash_prints_the_sha256_of_the_key_on_standard_input(string input, string expected)
    {
        var (exit, output, _) = await RunAsync(input, "keys", "hash");

        Assert.Equal(0, exit);
        Assert.Equal(expected, output.Trim());
    }

    [Fact]
    public async Task Keys_hash_refuses_an_empty_input()
    {
        var (exit, output, error) = await RunAsync("", "keys", "hash");

        Assert.NotEqual(0, exit);
        Assert.Empty(output);
        Assert.Contains("No key", error);
    }

    [Fact]
    public async Task Keys_new_prints_a_key_and_the_hash_keys_hash_gives_for_it()
    {
        var (_, created, _) = await RunAsync("", "keys", "new");
        var lines = created.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var (_, hashed, _) = await RunAsync(lines[0], "keys", "hash");

        Assert.Equal(2, lines.Length);
        Assert.StartsWith("rsk_", lines[0]);
        Assert.Equal(lines[1], hashed.Trim());
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string input, params string[] args)
    {
        var previous = Console.In;
        using var output = new StringWriter();
        using var error = new StringWriter();
        Console.SetIn(new StringReader(input));
        try
        {
            var exit = await RagSuiteCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetIn(previous);
        }
    }
}
