using Lucene.Net.Analysis.Core;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using RagSuite.Bench.Peers.Data;
using RagSuite.Bench.Peers.Measurement;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace RagSuite.Bench.Peers.Lexical;

/// <summary>
/// Lucene.Net 4.8 with BM25Similarity(k1, b), fed RagSuite's terms through a WhitespaceAnalyzer so both engines rank
/// the same words. A query is one SHOULD TermQuery per distinct word, boosted by how often the word occurs in the
/// question, which is how RagSuite weights repeated query words. The index is merged to one segment after building,
/// the read-optimised form a user would serve from. Lucene stores a document's length in one byte (lossy), so
/// scores differ from exact BM25 in the last digits and near-ties can swap.
/// </summary>
public sealed class LuceneIndex : ISearchTarget, IDisposable
{
    private const string IdField = "id";
    private const string BodyField = "body";
    private static readonly LuceneVersion Version = LuceneVersion.LUCENE_48;

    private readonly LuceneDirectory _directory;
    private readonly DirectoryReader _reader;
    private readonly IndexSearcher _searcher;
    private readonly IReadOnlyList<string> _questions;
    private readonly int _topK;

    private LuceneIndex(LuceneDirectory directory, IReadOnlyList<string> questions, int topK, Similarity similarity)
    {
        _directory = directory;
        _reader = DirectoryReader.Open(directory);
        _searcher = new IndexSearcher(_reader) { Similarity = similarity };
        _questions = questions;
        _topK = topK;
    }

    public string Name { get; init; } = "lucene.net";

    public int Documents => _reader.NumDocs;

    /// <summary>Indexes the corpus into a RAMDirectory, or an MMapDirectory under <paramref name="path"/> when one is given.</summary>
    public static LuceneIndex Build(IEnumerable<BeirDocument> corpus, string? path, float k1, float b, IReadOnlyList<string> questions, int topK)
    {
        LuceneDirectory directory = path is null ? new RAMDirectory() : new MMapDirectory(new DirectoryInfo(path));
        var similarity = new BM25Similarity(k1, b);
        var config = new IndexWriterConfig(Version, new WhitespaceAnalyzer(Version))
        {
            OpenMode = OpenMode.CREATE,
            Similarity = similarity,
            RAMBufferSizeMB = 256,
        };
        using (var writer = new IndexWriter(directory, config))
        {
            var id = new StringField(IdField, "", Field.Store.YES);
            var body = new TextField(BodyField, "", Field.Store.NO);
            var document = new Document { id, body };
            foreach (var source in corpus)
            {
                id.SetStringValue(source.Id);
                body.SetStringValue(string.Join(' ', SuiteAnalysis.DocumentTerms(source)));
                writer.AddDocument(document);
            }
            writer.ForceMerge(1);
            writer.Commit();
        }
        return new LuceneIndex(directory, questions, topK, similarity);
    }

    public ISearchSession OpenSession() => new Session(this);

    public void Dispose()
    {
        _reader.Dispose();
        _directory.Dispose();
    }

    private sealed class Session(LuceneIndex index) : ISearchSession
    {
        private static readonly ISet<string> IdOnly = new HashSet<string> { IdField };

        public ValueTask<SearchOutcome> SearchAsync(int query, CancellationToken cancellationToken)
        {
            var boolean = new BooleanQuery();
            foreach (var term in SuiteAnalysis.QueryTerms(index._questions[query]).GroupBy(t => t, StringComparer.Ordinal))
            {
                boolean.Add(new TermQuery(new Term(BodyField, term.Key)) { Boost = term.Count() }, Occur.SHOULD);
            }
            var top = index._searcher.Search(boolean, index._topK);
            var ids = new string[top.ScoreDocs.Length];
            for (var i = 0; i < ids.Length; i++) ids[i] = index._searcher.Doc(top.ScoreDocs[i].Doc, IdOnly).Get(IdField);
            return ValueTask.FromResult(new SearchOutcome(ids));
        }

        public void Dispose() { }
    }
}
