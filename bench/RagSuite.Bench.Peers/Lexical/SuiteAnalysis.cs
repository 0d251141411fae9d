using RagSuite.Bench.Peers.Data;
using RagSuite.Core.Text;

namespace RagSuite.Bench.Peers.Lexical;

/// <summary>
/// RagSuite's lexical analysis, so the peer engines index and search exactly the terms the suite does. The gateway
/// sparse-encodes the text a model sees for a chunk, the title, a blank line and the chunk (<c>ModelText</c>), with
/// <see cref="WordTokenizer"/> (maximal runs of letters and digits, lower-cased, no stop words removed); queries go
/// through the same tokenizer. The peers get those words joined by single spaces and split them on whitespace only.
/// </summary>
public static class SuiteAnalysis
{
    /// <summary>The words RagSuite indexes for a document that fits in one chunk (the benchmark makes chunks large enough).</summary>
    public static List<string> DocumentTerms(BeirDocument document) =>
        WordTokenizer.Tokenize(string.IsNullOrEmpty(document.Title) ? document.Text : $"{document.Title}\n\n{document.Text}");

    public static List<string> QueryTerms(string question) => WordTokenizer.Tokenize(question);
}
