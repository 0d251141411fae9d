using System.Net.Sockets;
using Npgsql;
using RagSuite.Core.Errors;

namespace RagSuite.Retrieval.Stores.Pgvector;

/// <summary>
/// Database failures as RagSuite errors: an unreachable or restarting server is Unavailable (retry later), a collection
/// dropped under a running call is NotFound. Messages name the store and the reason, never the connection string.
/// </summary>
internal static class PgvectorErrors
{
    public static async Task<T> Run<T>(string? collection, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable && collection is not null)
        {
            throw RagSuiteException.NotFound($"Collection '{collection}' does not exist.");
        }
        catch (PostgresException e) when (IsUnavailable(e.SqlState))
        {
            throw new RagSuiteException(ErrorKind.Unavailable, $"The pgvector store's PostgreSQL cannot serve requests now ({e.SqlState}: {e.MessageText}).", null, e);
        }
        catch (Exception e) when (e is NpgsqlException and not PostgresException || e is SocketException or TimeoutException)
        {
            throw new RagSuiteException(ErrorKind.Unavailable, $"The pgvector store's PostgreSQL cannot be reached: {Reason(e)}", null, e);
        }
    }

    /// <summary>Connection failures, shut-downs, too many connections, the server's own resources.</summary>
    private static bool IsUnavailable(string state) => state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal)
        || state.StartsWith("53", StringComparison.Ordinal);

    private static string Reason(Exception e) => (e.InnerException ?? e).Message;
}
