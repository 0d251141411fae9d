using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Core.Roles;
using RagSuite.Core.Text;
using RagSuite.Core.Validation;

namespace RagSuite.Generation;

/// <summary>
/// The generator role in this process: extractive answers, streamed a sentence at a time, each
/// sentence followed by the citation mark of the passage it came from. The final event says which
/// passages were cited and that the answer is extractive. A bad request fails at the call, before
/// any event.
/// </summary>
public sealed class InProcessGenerator(IOptions<GeneratorOptions> options, GeneratorMetrics metrics) : IGenerator
{
    private static readonly string[] AcceptedModes = ["", "auto", ExtractiveAnswerer.Mode];

    private readonly GeneratorOptions _options = options.Value;

    public IAsyncEnumerable<GenerateEvent> GenerateAsync(GenerateRequest request, CancellationToken cancellationToken)
    {
        Validate(request);
        return Events(request, cancellationToken).ToAsyncEnumerable();
    }

    private IEnumerable<GenerateEvent> Events(GenerateRequest request, CancellationToken cancellationToken)
    {
        var parameters = request.Parameters ?? new GenerationParameters();
        var maxWords = parameters.HasMaxTokens ? parameters.MaxTokens : _options.DefaultMaxTokens;
        var answer = ExtractiveAnswerer.Compose(request.Question, request.Passages, _options.MaxAnswerSentences, maxWords);

        var result = new GenerateResult { Mode = ExtractiveAnswerer.Mode, Model = ExtractiveAnswerer.Mode, FinishReason = answer.FinishReason };
        var written = "";
        if (answer.Sentences.Count == 0)
        {
            written = ExtractiveAnswerer.NoAnswer;
            yield return new GenerateEvent { Delta = written };
        }
        foreach (var sentence in answer.Sentences)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var delta = $"{(written.Length == 0 ? "" : " ")}{sentence.Text} [{sentence.Passage + 1}]";
            if (StopAt(written + delta, parameters) is { } cut)
            {
                if (cut > written.Length) yield return new GenerateEvent { Delta = (written + delta)[written.Length..cut] };
                written = (written + delta)[..cut];
                result.FinishReason = "stop";
                break;
            }
            written += delta;
            if (!result.CitedPassages.Contains(sentence.Passage + 1)) result.CitedPassages.Add(sentence.Passage + 1);
            yield return new GenerateEvent { Delta = delta };
        }
        result.CompletionTokens = WordTokenizer.Count(written);
        metrics.Record(result.Mode, result.FinishReason, result.CompletionTokens);
        yield return new GenerateEvent { Result = result };
    }

    public Task<GeneratorInfo> GetInfoAsync(CancellationToken cancellationToken) =>
        Task.FromResult(new GeneratorInfo { Modes = { ExtractiveAnswerer.Mode }, DefaultMode = ExtractiveAnswerer.Mode });

    /// <summary>Where the first stop sequence starts in <paramref name="text"/>, if any.</summary>
    private static int? StopAt(string text, GenerationParameters parameters)
    {
        var positions = parameters.Stop.Select(s => text.IndexOf(s, StringComparison.Ordinal)).Where(i => i >= 0).ToList();
        return positions.Count > 0 ? positions.Min() : null;
    }

    private void Validate(GenerateRequest request)
    {
        var errors = new ValidationErrors();
        errors.AddIf(string.IsNullOrWhiteSpace(request.Question), "question", "is empty");
        errors.AddIf(request.Question.Length > _options.MaxQuestionChars, "question",
            $"is {request.Question.Length} characters; the limit is {_options.MaxQuestionChars}");
        errors.AddIf(request.Passages.Count > _options.MaxPassages, "passages",
            $"holds {request.Passages.Count} passages; the limit is {_options.MaxPassages}");
        errors.AddIf(!AcceptedModes.Contains(request.Mode, StringComparer.OrdinalIgnoreCase), "mode",
            $"'{request.Mode}' is not available; this generator offers: {ExtractiveAnswerer.Mode}");
        GenerationParameterRules.Validate(request.Parameters, "parameters.", errors);
        errors.ThrowIfAny();
    }
}
