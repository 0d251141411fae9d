using RagSuite.Contracts.V1;

namespace RagSuite.Core.Roles;

/// <summary>
/// How a reranker orders passages by their scores: best first, ties broken by the retrieval score and then by the
/// retrieval position. With the retrieval scores as the scores (<see cref="RerankMode.None"/>) that is the retrieval order.
/// </summary>
public static class RerankOrder
{
    /// <summary>The retrieval scores passed in or, when none were, minus each passage's position.</summary>
    public static double[] Priors(RerankRequest request) => request.PriorScores.Count == request.Passages.Count
        ? [.. request.PriorScores.Select(s => (double)s)]
        : [.. Enumerable.Range(0, request.Passages.Count).Select(i => -(double)i)];

    public static int[] Of(double[] scores, double[] priors) =>
        [.. Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ThenByDescending(i => priors[i]).ThenBy(i => i)];

    /// <summary>The answer of <see cref="RerankMode.None"/>: the retrieval order, each passage keeping its retrieval score.</summary>
    public static RerankResponse Unchanged(RerankRequest request, string note)
    {
        var priors = Priors(request);
        var response = new RerankResponse { Mode = RerankMode.None, Note = note };
        response.Scores.AddRange(Of(priors, priors).Select(i => new RerankScore { Index = i, Score = (float)priors[i] }));
        return response;
    }
}
