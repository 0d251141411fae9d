using RagSuite.Contracts.V1;
using RagSuite.Generation;

namespace RagSuite.Gateway.Pipeline;

/// <summary>
/// The answer the gateway writes itself when the generator service cannot be reached: the same extractive answer the
/// generator would write (<see cref="ExtractiveAnswer"/>, with the generator's default limits), as the same events —
/// deltas, then a result whose note says why. There is no injection screen or groundedness score here: those run in
/// the generator, and an extractive answer only quotes the passages.
/// </summary>
public static class FallbackAnswer
{
    private static readonly GeneratorOptions Defaults = new();

    public static IEnumerable<GenerateEvent> Write(GenerateRequest request, string reason)
    {
        var parameters = request.Parameters ?? new GenerationParameters();
        var maxWords = parameters.HasMaxTokens ? parameters.MaxTokens : Defaults.DefaultMaxTokens;
        var passages = request.Passages.Select((p, i) => (i + 1, p)).ToList();
        var answer = ExtractiveAnswer.Write(request.Question, passages, parameters, Defaults.MaxAnswerSentences, maxWords);
        foreach (var delta in answer.Deltas) yield return new GenerateEvent { Delta = delta };

        var result = new GenerateResult
        {
            Mode = ExtractiveAnswerer.Mode,
            Model = ExtractiveAnswerer.Mode,
            FinishReason = answer.FinishReason,
            SourcesSent = passages.Count,
            CompletionTokens = answer.WordCount,
            Notes = { $"Extractive answer written by the gateway: {reason}" },
        };
        result.CitedPassages.AddRange(answer.Cited);
        yield return new GenerateEvent { Result = result };
    }
}
