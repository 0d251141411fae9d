using RagSuite.Contracts.V1;
using RagSuite.Gateway.Pipeline;
using RagSuite.Retrieval;

namespace RagSuite.Gateway.Api;

/// <summary>Shapes pipeline results for REST, once, for both the JSON and the streamed answer.</summary>
public static class QueryViews
{
    public const int SnippetChars = 300;

    public static List<ResultView> Results(RetrievalResult retrieval) =>
    [
        .. retrieval.Chunks.Select((chunk, i) =>
        {
            var point = chunk.Point;
            var lineage = point.Lineage;
            return new ResultView(i + 1, point.Id, point.DocumentId, point.ChunkIndex, chunk.Score, chunk.RetrievalScore, point.Text,
                point.Title is { Length: > 0 } title ? title : null,
                MetadataJson.ToJson(point.Metadata),
                new LineageView(lineage?.Source is { Length: > 0 } source ? source : null, lineage?.StartChar ?? 0, lineage?.EndChar ?? 0,
                    lineage?.Chunker ?? "", lineage?.IngestedAt?.ToDateTimeOffset()));
        }),
    ];

    public static RetrievalView Retrieval(RetrievalResult retrieval) => new(
        FusionNames.Of(retrieval.Fusion),
        QueryRequests.RerankName(retrieval.Rerank),
        retrieval.RerankModel is { Length: > 0 } model ? model : null,
        retrieval.Candidates,
        QueryRequests.ModeName(retrieval.Fusion),
        retrieval.DenseModel is { Length: > 0 } dense ? dense : null,
        retrieval.Search.DenseWeight > 0 ? retrieval.Search.DenseWeight : null,
        retrieval.Search.RrfK > 0 ? retrieval.Search.RrfK : null,
        retrieval.RerankNote is { Length: > 0 } note ? note : null,
        retrieval.Warnings.Count > 0 ? retrieval.Warnings : null);

    /// <summary>The chunks an answer cites, by their 1-based numbers in the retrieval order.</summary>
    public static List<CitationView> Citations(RetrievalResult retrieval, IEnumerable<int> cited) =>
    [
        .. cited.Where(n => n >= 1 && n <= retrieval.Chunks.Count).Select(n =>
        {
            var chunk = retrieval.Chunks[n - 1];
            return new CitationView(n, chunk.Point.Id, chunk.Point.DocumentId, chunk.Score, Snippet(chunk.Point.Text),
                chunk.Point.Title is { Length: > 0 } title ? title : null);
        }),
    ];

    public static GenerationView? Generation(GenerateResult? result)
    {
        if (result is null) return null;
        var grounding = result.Grounding;
        var injection = result.Injection ?? new InjectionReport { Action = "none" };
        return new GenerationView(
            result.Mode, NullIfEmpty(result.Model), NullIfEmpty(result.Upstream), NullIfEmpty(result.Template), NullIfEmpty(result.FinishReason),
            result.PromptTokens > 0 ? result.PromptTokens : null, result.CompletionTokens, result.SourcesSent, result.SourcesDropped,
            result.Upstream.Length > 0 ? Math.Round(result.EstimatedCostUsd, 6) : null,
            grounding is null ? null : new GroundingView(grounding.HasScore ? grounding.Score : null, grounding.Method, grounding.Threshold,
                grounding.BelowThreshold, grounding.Sentences, grounding.SupportedSentences, grounding.CitationsRemoved),
            new InjectionView(injection.Policy, injection.Action, injection.QuestionFlagged, [.. injection.FlaggedPassages], [.. injection.Signals]),
            result.Attempts.Count > 0 ? [.. result.Attempts.Select(a => new AttemptView(a.Upstream, a.Outcome, NullIfEmpty(a.Reason)))] : null,
            result.Notes.Count > 0 ? [.. result.Notes] : null,
            NullIfEmpty(result.Error));
    }

    /// <summary>The fallbacks the query took, or null (left out of the response) when it took none.</summary>
    public static IReadOnlyList<Degradation>? Degraded(RetrievalResult retrieval) => retrieval.Degraded.Count > 0 ? retrieval.Degraded : null;

    private static string? NullIfEmpty(string value) => value.Length > 0 ? value : null;

    public static TimingsView Timings(QueryTimings timings) => new(
        Milliseconds(timings.Embed), Milliseconds(timings.Retrieve), Milliseconds(timings.Rerank),
        Milliseconds(timings.Generate), Milliseconds(timings.Total));

    private static double Milliseconds(TimeSpan span) => Math.Round(span.TotalMilliseconds, 3);

    private static string Snippet(string text)
    {
        if (text.Length <= SnippetChars) return text;
        var cut = text.LastIndexOf(' ', SnippetChars);
        return text[..(cut > SnippetChars / 2 ? cut : SnippetChars)] + " …";
    }
}
