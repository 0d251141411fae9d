using Microsoft.Data.Sqlite;
using RagSuite.Bench.Peers.Data;
using RagSuite.Bench.Peers.Measurement;

namespace RagSuite.Bench.Peers.Lexical;

/// <summary>
/// SQLite FTS5 ranked by its built-in <c>bm25()</c>, fed RagSuite's terms joined by spaces. The <c>ascii</c> tokenizer
/// splits only on ASCII separators and keeps every non-ASCII character inside a token, so each suite word stays one
/// FTS5 token. FTS5's bm25 has k1 = 1.2 and b = 0.75 built in (not settable), so its ranking differs from the
/// other two engines by those parameters alone. A query is the question's words joined by OR, one phrase per word
/// occurrence (FTS5 sums a score per phrase, so a repeated word weighs twice, as in RagSuite). Each client has its
/// own connection, as SQLite wants.
/// </summary>
public sealed class SqliteFtsIndex : ISearchTarget, IDisposable
{
    private readonly string _path;
    private readonly IReadOnlyList<string> _questions;
    private readonly int _topK;

    private SqliteFtsIndex(string path, IReadOnlyList<string> questions, int topK)
    {
        _path = path;
        _questions = questions;
        _topK = topK;
    }

    public string Name { get; init; } = "sqlite-fts5";

    public long FileBytes => new FileInfo(_path).Length;

    public static SqliteFtsIndex Build(IEnumerable<BeirDocument> corpus, string path, IReadOnlyList<string> questions, int topK)
    {
        using (var connection = Open(path, SqliteOpenMode.ReadWriteCreate))
        {
            Execute(connection, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;");
            Execute(connection, "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, body, tokenize = 'ascii');");
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO docs (id, body) VALUES ($id, $body);";
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            var body = insert.Parameters.Add("$body", SqliteType.Text);
            foreach (var document in corpus)
            {
                id.Value = document.Id;
                body.Value = string.Join(' ', SuiteAnalysis.DocumentTerms(document));
                insert.ExecuteNonQuery();
            }
            transaction.Commit();
            // One b-tree per term instead of one per insert batch: FTS5's read-optimised form.
            Execute(connection, "INSERT INTO docs (docs) VALUES ('optimize');");
        }
        SqliteConnection.ClearAllPools();
        return new SqliteFtsIndex(path, questions, topK);
    }

    public ISearchSession OpenSession() => new Session(this);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed class Session : ISearchSession
    {
        private readonly SqliteFtsIndex _index;
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _search;
        private readonly SqliteParameter _match;

        public Session(SqliteFtsIndex index)
        {
            _index = index;
            _connection = Open(index._path, SqliteOpenMode.ReadOnly);
            _search = _connection.CreateCommand();
            _search.CommandText = "SELECT id FROM docs WHERE docs MATCH $match ORDER BY bm25(docs) LIMIT $k;";
            _match = _search.Parameters.Add("$match", SqliteType.Text);
            _search.Parameters.AddWithValue("$k", index._topK);
            _search.Prepare();
        }

        public ValueTask<SearchOutcome> SearchAsync(int query, CancellationToken cancellationToken)
        {
            var terms = SuiteAnalysis.QueryTerms(_index._questions[query]);
            var ids = new List<string>(_index._topK);
            if (terms.Count > 0)
            {
                // Quoted, so words such as "or" and "not" are searched for, not read as operators.
                _match.Value = string.Join(" OR ", terms.Select(t => $"\"{t}\""));
                using var reader = _search.ExecuteReader();
                while (reader.Read()) ids.Add(reader.GetString(0));
            }
            return ValueTask.FromResult(new SearchOutcome(ids));
        }

        public void Dispose()
        {
            _search.Dispose();
            _connection.Dispose();
        }
    }
}
