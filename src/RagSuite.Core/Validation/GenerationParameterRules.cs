using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;

namespace RagSuite.Core.Validation;

/// <summary>The allowed ranges of generation parameters, checked by the gateway and by the generator alike.</summary>
public static class GenerationParameterRules
{
    public const int MaxTokensLimit = 8192;
    public const int MaxStopSequences = 8;
    public const int MaxStopLength = 64;

    public static void Validate(GenerationParameters? parameters, string prefix, ValidationErrors errors)
    {
        if (parameters is null) return;
        errors.AddIf(parameters.HasTemperature && !(parameters.Temperature >= 0 && parameters.Temperature <= 2),
            $"{prefix}temperature", "must be between 0 and 2");
        errors.AddIf(parameters.HasTopP && !(parameters.TopP > 0 && parameters.TopP <= 1),
            $"{prefix}top_p", "must be greater than 0 and at most 1");
        errors.AddIf(parameters.HasTopK && parameters.TopK < 1, $"{prefix}top_k", "must be at least 1");
        errors.AddIf(parameters.HasMaxTokens && (parameters.MaxTokens < 1 || parameters.MaxTokens > MaxTokensLimit),
            $"{prefix}max_tokens", $"must be between 1 and {MaxTokensLimit}");
        errors.AddIf(parameters.Stop.Count > MaxStopSequences, $"{prefix}stop", $"holds more than {MaxStopSequences} sequences");
        errors.AddIf(parameters.Stop.Any(s => s.Length == 0 || s.Length > MaxStopLength), $"{prefix}stop",
            $"sequences must be 1 to {MaxStopLength} characters");
        errors.AddIf(parameters.HasPresencePenalty && !(parameters.PresencePenalty >= -2 && parameters.PresencePenalty <= 2),
            $"{prefix}presence_penalty", "must be between -2 and 2");
        errors.AddIf(parameters.HasFrequencyPenalty && !(parameters.FrequencyPenalty >= -2 && parameters.FrequencyPenalty <= 2),
            $"{prefix}frequency_penalty", "must be between -2 and 2");
    }
}
