using Microsoft.Extensions.Options;
using Npgsql;

namespace RagSuite.Retrieval.Stores.Pgvector;

/// <summary>
/// Exactly one of the connection string and its file; the file readable and either one parseable. Messages name the
/// setting, never its value, since the value holds the password.
/// </summary>
internal sealed class PgvectorOptionsValidator : IValidateOptions<PgvectorOptions>
{
    public ValidateOptionsResult Validate(string? name, PgvectorOptions options)
    {
        var hasString = !string.IsNullOrWhiteSpace(options.ConnectionString);
        var hasFile = !string.IsNullOrWhiteSpace(options.ConnectionStringFile);
        if (hasString == hasFile)
        {
            return ValidateOptionsResult.Fail(
                $"Set exactly one of {PgvectorOptions.Section}:ConnectionString and {PgvectorOptions.Section}:ConnectionStringFile for the pgvector store.");
        }
        string value;
        try
        {
            value = hasString ? options.ConnectionString! : File.ReadAllText(options.ConnectionStringFile!).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ValidateOptionsResult.Fail($"{PgvectorOptions.Section}:ConnectionStringFile cannot be read: {e.GetType().Name}.");
        }
        try
        {
            _ = new NpgsqlConnectionStringBuilder(value);
        }
        catch (ArgumentException)
        {
            return ValidateOptionsResult.Fail($"{PgvectorOptions.Section}:{(hasString ? "ConnectionString" : "ConnectionStringFile")} is not a valid connection string.");
        }
        return ValidateOptionsResult.Success;
    }
}
