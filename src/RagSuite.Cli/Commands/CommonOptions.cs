using System.CommandLine;

namespace RagSuite.Cli.Commands;

/// <summary>Options several commands share.</summary>
internal static class CommonOptions
{
    public static Option<string> Data() => new("--data")
    {
        Description = "Data directory of the embedded suite (used when --server is not given)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("RAGSUITE_DATA") ?? "data",
    };

    public static Option<string> Models() => new("--models")
    {
        Description = "Models directory of the embedded suite: one folder per model (default ./models, or RAGSUITE_MODELS)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("RAGSUITE_MODELS") ?? "models",
    };

    public static Option<Uri?> Server() => new("--server")
    {
        Description = "URL of a running gateway (or RAGSUITE_SERVER); without it the command runs the suite in this process",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("RAGSUITE_SERVER") is { Length: > 0 } url ? ParseUrl(url) : null,
        CustomParser = result => ParseUrl(result.Tokens.Single().Value, result),
    };

    private static Uri? ParseUrl(string value, System.CommandLine.Parsing.ArgumentResult? result = null)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var url) && url.Scheme is "http" or "https") return url;
        var message = $"'{value}' is not an http:// or https:// URL of a gateway, such as http://127.0.0.1:8080";
        if (result is null) throw new InvalidOperationException($"RAGSUITE_SERVER: {message}");
        result.AddError(message);
        return null;
    }

    /// <summary>Which vector store the in-process retriever uses; its connection settings follow as --RagSuite:Pgvector:... and so on.</summary>
    public static Option<string?> Store()
    {
        var store = new Option<string?>("--store")
        {
            Description = "Vector store of the embedded suite: embedded (default, under --data), pgvector (--RagSuite:Pgvector:ConnectionString=...) or qdrant (--RagSuite:Qdrant:Url=...)",
        };
        store.AcceptOnlyFromAmong("embedded", "pgvector", "qdrant");
        return store;
    }

    /// <summary>The setting that <see cref="Store"/> stands for, when it was given.</summary>
    public static IEnumerable<string> StoreSetting(ParseResult parse, Option<string?> store) =>
        parse.GetValue(store) is { } kind ? [$"--{Retrieval.RetrieverOptions.Section}:{nameof(Retrieval.RetrieverOptions.Store)}={kind}"] : [];

    public static Option<string> Collection(bool required) => new("--collection", "-c")
    {
        Description = "Collection name",
        Required = required,
    };
}
