using System.CommandLine;
using System.Text.Json;
using RagSuite.Gateway.Api;
using Spectre.Console;

namespace RagSuite.Cli.Commands;

/// <summary><c>ragsuite query "question" --collection C</c>: the answer, streamed as it is written, then its sources.</summary>
internal static class QueryCommand
{
    public static Command Create()
    {
        var question = new Argument<string>("question") { Description = "What to ask" };
        var collection = CommonOptions.Collection(required: true);
        var topK = new Option<int>("--top-k", "-k") { Description = "Chunks to answer from", DefaultValueFactory = _ => 5 };
        var rerank = new Option<string>("--rerank") { Description = "auto, lexical, cross-encoder or none", DefaultValueFactory = _ => "auto" };
        var data = CommonOptions.Data();
        var models = CommonOptions.Models();
        var server = CommonOptions.Server();
        var command = new Command("query", "Ask a question; prints the answer with its citations") { question, collection, topK, rerank, data, models, server };
        command.TreatUnmatchedTokensAsErrors = false;
        command.SetAction(CliErrors.Handle(async (parse, cancellationToken) =>
        {
            await using var connection = await GatewayConnection.OpenAsync(parse.GetValue(server), EmbeddedSuite.From(parse, data, models), cancellationToken);
            var body = new QueryBody(parse.GetValue(question), parse.GetValue(collection), parse.GetValue(topK),
                JsonSerializer.SerializeToElement(parse.GetValue(rerank)), Stream: true);
            await foreach (var (type, json) in connection.Client.QueryStreamAsync(body, cancellationToken))
            {
                Render(type, json);
            }
            return 0;
        }));
        return command;
    }

    private static void Render(string type, JsonElement json)
    {
        switch (type)
        {
            case "delta":
                Console.Write(json.GetProperty("text").GetString());
                break;
            case "citations":
                Console.WriteLine();
                Console.WriteLine();
                foreach (var citation in json.GetProperty("citations").EnumerateArray())
                {
                    AnsiConsole.MarkupLineInterpolated(
                        $"[bold][[{citation.GetProperty("index").GetInt32()}]][/] {citation.GetProperty("document_id").GetString()} ({citation.GetProperty("chunk_id").GetString()}, score {citation.GetProperty("score").GetSingle():0.000})");
                }
                break;
            case "done":
                var timings = json.GetProperty("timings_ms");
                AnsiConsole.MarkupLineInterpolated(
                    $"[grey]{json.GetProperty("mode").GetString()} answer in {timings.GetProperty("total").GetDouble():0.0} ms[/]");
                break;
            case "error":
                AnsiConsole.MarkupLineInterpolated($"[red]{json.GetProperty("detail").GetString()}[/]");
                break;
        }
    }
}
