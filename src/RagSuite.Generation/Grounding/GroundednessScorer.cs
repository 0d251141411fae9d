using System.Numerics.Tensors;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using RagSuite.Contracts.V1;
using RagSuite.Core.Remote;
using RagSuite.Core.Roles;
using RagSuite.Core.Text;

namespace RagSuite.Generation.Grounding;

/// <summary>
/// Scores how well an answer is supported: the share of its sentences (those of three content words or more) that
/// a source they cite supports. A sentence without marks takes those of the next cited sentence in its paragraph
/// ("A. B [1]." cites [1] for both). Support is judged by the embedder's dense model — cosine similarity to the
/// closest sentence of a cited source — or, without one (or with <c>GroundingMethod: lexical</c>), by the share of the
/// sentence's content words found in it. An embedder that answered without dense vectors (it has no dense model) is
/// not asked again for <see cref="NoDenseMemory"/>: from another service that would be a hop per answer for nothing.
/// </summary>
public sealed partial class GroundednessScorer(IEmbedder? embedder, GeneratorOptions options, TimeProvider time, ILogger<GroundednessScorer> logger)
{
    public const string EmbeddingMethod = "embedding";
    public const string LexicalMethod = "lexical";
    public static readonly TimeSpan NoDenseMemory = TimeSpan.FromSeconds(10);
    private const int MinimumContentWords = 3;
    private readonly ExpiringFact<bool> _noDenseModel = new(NoDenseMemory, time);

    public async Task<Contracts.V1.Grounding> ScoreAsync(string answer, IReadOnlyDictionary<int, SourcePassage> sources, double threshold,
        CancellationToken cancellationToken)
    {
        var sentences = Judged(answer, sources);
        var supported = sentences.Count == 0 ? (Method: LexicalMethod, Flags: Array.Empty<bool>()) : await SupportedAsync(sentences, sources, cancellationToken);
        var grounding = new Contracts.V1.Grounding
        {
            Method = supported.Method,
            Threshold = threshold,
            Sentences = sentences.Count,
            SupportedSentences = supported.Flags.Count(f => f),
        };
        if (sentences.Count > 0)
        {
            grounding.Score = Math.Round((double)grounding.SupportedSentences / sentences.Count, 4);
            grounding.BelowThreshold = grounding.Score < threshold;
        }
        return grounding;
    }

    /// <summary>The sentences worth judging, each with the sources it cites.</summary>
    public static List<JudgedSentence> Judged(string answer, IReadOnlyDictionary<int, SourcePassage> sources)
    {
        var judged = new List<JudgedSentence>();
        foreach (var paragraph in answer.ReplaceLineEndings("\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var pieces = SentenceSplitter.Split(paragraph).Select(span => span.Of(paragraph))
                .Select(s => (Text: MarkPattern().Replace(s, " ").Trim(), Cited: CitationFilter.NumbersIn(s).Where(sources.ContainsKey).Distinct().ToList()))
                .ToList();
            // A trailing mark may be split off as its own "sentence" ("… tall. [1]"): it cites for the one before.
            for (var i = pieces.Count - 1; i > 0; i--)
            {
                if (pieces[i].Text.Length == 0 && pieces[i].Cited.Count > 0)
                {
                    pieces[i - 1] = (pieces[i - 1].Text, [.. pieces[i - 1].Cited.Union(pieces[i].Cited)]);
                }
            }
            IReadOnlyList<int> inherited = [];
            var inParagraph = new List<JudgedSentence>();
            for (var i = pieces.Count - 1; i >= 0; i--)
            {
                if (pieces[i].Cited.Count > 0) inherited = pieces[i].Cited;
                if (StopWords.ContentTerms(pieces[i].Text).Count < MinimumContentWords) continue;
                inParagraph.Add(new JudgedSentence(pieces[i].Text, pieces[i].Cited.Count > 0 ? pieces[i].Cited : inherited));
            }
            inParagraph.Reverse();
            judged.AddRange(inParagraph);
        }
        return judged;
    }

    private async Task<(string Method, bool[] Flags)> SupportedAsync(List<JudgedSentence> sentences, IReadOnlyDictionary<int, SourcePassage> sources,
        CancellationToken cancellationToken)
    {
        if (embedder is not null && options.GroundingMethod != LexicalMethod && !_noDenseModel.TryGet(out _))
        {
            try
            {
                if (await EmbeddingSupportAsync(embedder, sentences, sources, cancellationToken) is { } flags) return (EmbeddingMethod, flags);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Groundedness is a report, not a dependency: an embedder that is down makes it lexical.
                logger.LogInformation("Groundedness by content words: the embedder did not answer ({Reason})", e.Message);
            }
        }
        return (LexicalMethod, [.. sentences.Select(s => LexicallySupported(s, sources))]);
    }

    private async Task<bool[]?> EmbeddingSupportAsync(IEmbedder model, List<JudgedSentence> sentences, IReadOnlyDictionary<int, SourcePassage> sources,
        CancellationToken cancellationToken)
    {
        var cited = sentences.SelectMany(s => s.Cited).Distinct().ToList();
        var sourceSentences = cited.ToDictionary(n => n, n => SentenceSplitter.Split(sources[n].Text).Select(span => span.Of(sources[n].Text)).ToList());
        var request = new EmbedRequest { Kind = InputKind.Passage };
        request.Texts.AddRange(sentences.Select(s => s.Text));
        foreach (var n in cited) request.Texts.AddRange(sourceSentences[n]);
        var response = await model.EmbedAsync(request, cancellationToken);
        if (response.Embeddings.Count != request.Texts.Count) return null;
        if (response.Embeddings[0].Dense.Count == 0)
        {
            _noDenseModel.Learn(true);
            return null;
        }

        var vectors = response.Embeddings.Select(e => e.Dense.ToArray()).ToList();
        var offset = sentences.Count;
        var bySource = new Dictionary<int, List<float[]>>();
        foreach (var n in cited)
        {
            bySource[n] = vectors.GetRange(offset, sourceSentences[n].Count);
            offset += sourceSentences[n].Count;
        }
        return [.. sentences.Select((s, i) => s.Cited.Any(n => bySource[n].Any(v => TensorPrimitives.CosineSimilarity(vectors[i], v) >= options.EmbeddingSupport)))];
    }

    private bool LexicallySupported(JudgedSentence sentence, IReadOnlyDictionary<int, SourcePassage> sources)
    {
        if (sentence.Cited.Count == 0) return false;
        var terms = StopWords.ContentTerms(sentence.Text).Distinct().ToList();
        var words = sentence.Cited.SelectMany(n => WordTokenizer.Tokenize(sources[n].Title + " " + sources[n].Text)).ToHashSet(StringComparer.Ordinal);
        return (double)terms.Count(words.Contains) / terms.Count >= options.LexicalSupport;
    }

    [GeneratedRegex(@"\[\d{1,4}(?:\s*,\s*\d{1,4})*\]")]
    private static partial Regex MarkPattern();
}
