using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Options;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Core.Roles;
using RagSuite.Core.Validation;
using RagSuite.Generation.Grounding;
using RagSuite.Generation.Prompts;

namespace RagSuite.Generation;

/// <summary>
/// The generator role in this process. It screens the question and passages for injected instructions, answers
/// through the LLM upstreams when there are any (falling back, upstream by upstream, before the first token), and
/// otherwise, or when every upstream fails, answers extractively and says why. The final event carries the lineage:
/// mode, upstream, template, sources sent and dropped, citations, groundedness, injection report and notes.
/// A bad request fails at the call, before any event.
/// </summary>
public sealed class InProcessGenerator(IOptions<GeneratorOptions> options, PromptTemplateCatalog templates, LlmAnswerer llm,
    GroundednessScorer grounding, GeneratorMetrics metrics) : IGenerator
{
    public const string LlmMode = "llm";

    private readonly GeneratorOptions _options = options.Value;

    public IAsyncEnumerable<GenerateEvent> GenerateAsync(GenerateRequest request, CancellationToken cancellationToken)
    {
        var template = Validate(request);
        return EventsAsync(request, template, cancellationToken);
    }

    private async IAsyncEnumerable<GenerateEvent> EventsAsync(GenerateRequest request, PromptTemplate template,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var parameters = request.Parameters ?? new GenerationParameters();
        var maxTokens = parameters.HasMaxTokens ? parameters.MaxTokens : _options.DefaultMaxTokens;
        var screen = InjectionScreen.Apply(request.Question, request.Passages, _options.InjectionPolicyFor(request.Collection), metrics);
        var result = new GenerateResult { Injection = screen.Report };
        var answer = new StringBuilder();
        var sources = screen.Kept.ToDictionary(p => p.Number, p => p.Passage);

        // The extractive answerer writes the answer unless the request is refused or an upstream answers.
        var extractive = !screen.Refuse;
        if (screen.Refuse)
        {
            result.Mode = ExtractiveAnswerer.Mode;
            result.FinishReason = "refused";
            answer.Append(InjectionScreen.Refusal);
            yield return new GenerateEvent { Delta = InjectionScreen.Refusal };
        }
        else if (!IsExtractive(request.Mode) && llm.HasUpstreams)
        {
            var outcome = new LlmOutcome();
            var llmRequest = new LlmAnswerer.Request(request.Question, request.Collection, request.RouteHint, template,
                [.. screen.Kept.Select(p => new SourceBlock(p.Number, p.Passage.Title, p.Passage.Text))], parameters, maxTokens,
                request.Buffered, llm.Upstreams.FirstOrDefault(u => string.Equals(u.Name, request.Mode, StringComparison.OrdinalIgnoreCase))?.Name ?? "");
            await foreach (var delta in llm.AnswerAsync(llmRequest, outcome, cancellationToken))
            {
                answer.Append(delta);
                yield return new GenerateEvent { Delta = delta };
            }
            result.Attempts.AddRange(outcome.Attempts);
            if (outcome.Upstream is not null)
            {
                extractive = false;
                Describe(result, outcome);
                sources = outcome.Sent.ToDictionary(n => n, n => sources[n]);
            }
            else
            {
                var reasons = string.Join("; ", outcome.Attempts.Select(a => $"'{a.Upstream}': {a.Reason}"));
                result.Notes.Add($"Extractive answer: no LLM upstream answered ({reasons}).");
                metrics.Fallback(outcome.Attempts.FirstOrDefault()?.Upstream ?? "", ExtractiveAnswerer.Mode);
            }
        }
        else if (!IsExtractive(request.Mode))
        {
            result.Notes.Add("Extractive answer: no LLM upstream is configured.");
        }
        if (extractive)
        {
            foreach (var delta in Extractive(request, screen.Kept, parameters, maxTokens, result))
            {
                answer.Append(delta);
                yield return new GenerateEvent { Delta = delta };
            }
        }

        if (!screen.Refuse)
        {
            var removed = result.Grounding?.CitationsRemoved ?? 0;
            result.Grounding = await grounding.ScoreAsync(answer.ToString(), sources, _options.GroundednessThresholdFor(request.Collection), cancellationToken);
            result.Grounding.CitationsRemoved = removed;
            if (result.Grounding.HasScore) metrics.Groundedness(result.Grounding.Score, result.Grounding.Method);
        }
        metrics.Record(result.Mode, result.FinishReason, result.CompletionTokens);
        yield return new GenerateEvent { Result = result };
    }

    private IEnumerable<string> Extractive(GenerateRequest request, IReadOnlyList<(int Number, SourcePassage Passage)> passages,
        GenerationParameters parameters, int maxWords, GenerateResult result)
    {
        var extractive = ExtractiveAnswer.Write(request.Question, passages, parameters, _options.MaxAnswerSentences, maxWords);
        result.Mode = ExtractiveAnswerer.Mode;
        result.Model = ExtractiveAnswerer.Mode;
        result.FinishReason = extractive.FinishReason;
        result.CitedPassages.AddRange(extractive.Cited);
        result.SourcesSent = passages.Count;
        result.CompletionTokens = extractive.WordCount;
        return extractive.Deltas;
    }

    private void Describe(GenerateResult result, LlmOutcome outcome)
    {
        var upstream = outcome.Upstream!;
        result.Mode = LlmMode;
        result.Model = upstream.Options.Model;
        result.Upstream = upstream.Name;
        result.Template = outcome.Template;
        result.FinishReason = outcome.FinishReason;
        result.Error = outcome.Error;
        result.PromptTokens = outcome.PromptTokens;
        result.CompletionTokens = outcome.CompletionTokens;
        result.SourcesSent = outcome.Sent.Count;
        result.SourcesDropped = outcome.Dropped;
        result.CitedPassages.AddRange(outcome.Cited);
        result.EstimatedCostUsd = outcome.Cost;
        result.Grounding = new Contracts.V1.Grounding { CitationsRemoved = outcome.CitationsRemoved };
        metrics.CitationsRemoved(outcome.CitationsRemoved);
        var first = outcome.Attempts[0];
        if (first.Upstream != upstream.Name)
        {
            result.Notes.Add($"Answered by '{upstream.Name}': " +
                string.Join("; ", outcome.Attempts.Where(a => a.Outcome != "answered").Select(a => $"'{a.Upstream}' {a.Outcome.Replace('_', ' ')}: {a.Reason}")) + ".");
            metrics.Fallback(first.Upstream, upstream.Name);
        }
        if (outcome.Dropped > 0) result.Notes.Add($"{outcome.Dropped} lowest-ranked source(s) left out to fit the context window of '{upstream.Name}'.");
        if (outcome.Truncated) result.Notes.Add($"The top source was cut to fit the context window of '{upstream.Name}'.");
    }

    public Task<GeneratorInfo> GetInfoAsync(CancellationToken cancellationToken)
    {
        var info = new GeneratorInfo
        {
            DefaultMode = llm.HasUpstreams ? LlmMode : ExtractiveAnswerer.Mode,
            Routing = _options.Routing.Policy,
        };
        info.Modes.Add(ExtractiveAnswerer.Mode);
        info.Modes.AddRange(llm.Upstreams.Select(u => u.Name));
        info.Templates.AddRange(templates.Ids);
        info.Upstreams.AddRange(llm.Upstreams.Select(u => new UpstreamInfo
        {
            Name = u.Name, Model = u.Options.Model, Circuit = u.Circuit, ContextWindow = u.Options.ContextWindow,
            InFlight = u.InFlight, MaxConcurrency = u.Options.MaxConcurrency, LatencyMs = Math.Round(u.LatencyMs, 3),
        }));
        return Task.FromResult(info);
    }

    private static bool IsExtractive(string mode) => string.Equals(mode, ExtractiveAnswerer.Mode, StringComparison.OrdinalIgnoreCase);

    private PromptTemplate Validate(GenerateRequest request)
    {
        var errors = new ValidationErrors();
        errors.AddIf(string.IsNullOrWhiteSpace(request.Question), "question", "is empty");
        errors.AddIf(request.Question.Length > _options.MaxQuestionChars, "question",
            $"is {request.Question.Length} characters; the limit is {_options.MaxQuestionChars}");
        errors.AddIf(request.Passages.Count > _options.MaxPassages, "passages",
            $"holds {request.Passages.Count} passages; the limit is {_options.MaxPassages}");
        var modes = new[] { "", "auto", ExtractiveAnswerer.Mode }.Concat(llm.Upstreams.Select(u => u.Name)).ToList();
        errors.AddIf(!modes.Contains(request.Mode, StringComparer.OrdinalIgnoreCase), "mode",
            $"'{request.Mode}' is not available; this generator offers: auto, {string.Join(", ", modes.Skip(2))}");
        GenerationParameterRules.Validate(request.Parameters, "parameters.", errors);
        var reference = request.Template.Length > 0 ? request.Template : _options.TemplateFor(request.Collection);
        var found = templates.TryResolve(reference, out var template);
        errors.AddIf(!found, "template", $"no prompt template '{reference}'; available: {string.Join(", ", templates.Ids)}");
        errors.ThrowIfAny();
        return template;
    }
}
