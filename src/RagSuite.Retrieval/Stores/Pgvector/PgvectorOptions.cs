using System.ComponentModel.DataAnnotations;

namespace RagSuite.Retrieval.Stores.Pgvector;

/// <summary>
/// Where the pgvector store's PostgreSQL is (section <c>RagSuite:Pgvector</c>): a connection string, or a file that holds
/// one, as a Kubernetes Secret mounts it, so that the password is never a committed or logged value.
/// </summary>
public sealed class PgvectorOptions
{
    public const string Section = "RagSuite:Pgvector";

    /// <summary>An Npgsql connection string (<c>Host=…;Username=…;Password=…;Database=…</c>).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>A file whose content is the connection string; used when <see cref="ConnectionString"/> is not set.</summary>
    public string? ConnectionStringFile { get; set; }

    /// <summary>Seconds a command may run before it is cancelled.</summary>
    [Range(1, 3600)]
    public int CommandTimeoutSeconds { get; set; } = 30;

    /// <summary>The connection string from the setting or its file (trailing whitespace and newline trimmed).</summary>
    public async Task<string> ResolveConnectionStringAsync(CancellationToken cancellationToken) =>
        !string.IsNullOrWhiteSpace(ConnectionString)
            ? ConnectionString
            : (await File.ReadAllTextAsync(ConnectionStringFile!, cancellationToken)).Trim();
}
