using System.Text.Json;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Core.Validation;
using RagSuite.Gateway.Pipeline;

namespace RagSuite.Gateway.Api;

/// <summary>
/// Checks a <see cref="ChatCompletionBody"/>, reporting every problem at once, and turns it into the
/// <see cref="QueryPlan"/> that <c>/v1/query</c> would run for the same question. Every problem is a 400, as OpenAI
/// reports them (its SDKs raise <c>BadRequestError</c> for 400, and nothing they know for 422).
/// </summary>
public static class ChatCompletionRequests
{
    private static readonly string[] Roles = ["system", "developer", "user", "assistant", "tool"];

    public static ChatQuery Check(ChatCompletionBody body, GatewayOptions options)
    {
        var errors = new ValidationErrors();
        var question = Question(body.Messages, options.MaxQuestionChars, errors);
        RagModelName? model = null;
        if (body.Model is null) errors.Add("model", $"is required: name a collection as {RagModelName.Form}");
        else if (!RagModelName.TryParse(body.Model, out model, out var problem)) errors.Add("model", problem);

        var stop = Stop(body.Stop, errors);
        GenerationParameterRules.Validate(ToParameters(body.Temperature, body.TopP, null, null, stop, null, body.PresencePenalty, body.FrequencyPenalty), "", errors);
        var topK = TopK(body.TopK, errors);
        var maxTokens = MaxTokens(body.MaxTokens, body.MaxCompletionTokens, errors);
        errors.AddIf(body.N is not (null or 1), "n", "must be 1: RagSuite writes one answer per request");
        errors.AddIf(body.StreamOptions is not null && body.Stream != true, "stream_options", "applies only when stream is true");
        CheckUnofferedFeatures(body, errors);
        errors.ThrowIfAny(ErrorKind.BadRequest);

        return new ChatQuery(body.Model!, question!, model!.Collection, model.RouteHint, body.Stream == true,
            body.StreamOptions?.IncludeUsage == true, body.Temperature, body.TopP, topK, maxTokens, stop, body.Seed,
            body.PresencePenalty, body.FrequencyPenalty, body.User);
    }

    /// <summary>The plan <c>/v1/query</c> runs for a question with no other settings: the same retrieval, the same answer.</summary>
    public static QueryPlan ToPlan(ChatQuery query, GatewayOptions options) =>
        new(query.Question, query.Collection, options.DefaultTopK, RerankMode.Auto, FusionMode.Unspecified, Filter: null,
            GroupByDocument: false, Generate: true, ToParameters(query), GenerationMode: "", RouteHint: query.RouteHint ?? "");

    /// <summary>The generation contract's parameters for <paramref name="query"/>.</summary>
    public static GenerationParameters ToParameters(ChatQuery query) =>
        ToParameters(query.Temperature, query.TopP, query.TopK, query.MaxTokens, query.Stop, query.Seed, query.PresencePenalty, query.FrequencyPenalty);

    private static GenerationParameters ToParameters(float? temperature, float? topP, int? topK, int? maxTokens, IReadOnlyList<string> stop,
        long? seed, float? presencePenalty, float? frequencyPenalty)
    {
        var parameters = new GenerationParameters();
        if (temperature is { } t) parameters.Temperature = t;
        if (topP is { } p) parameters.TopP = p;
        if (topK is { } k) parameters.TopK = k;
        if (maxTokens is { } m) parameters.MaxTokens = m;
        if (seed is { } s) parameters.Seed = s;
        if (presencePenalty is { } presence) parameters.PresencePenalty = presence;
        if (frequencyPenalty is { } frequency) parameters.FrequencyPenalty = frequency;
        parameters.Stop.AddRange(stop);
        return parameters;
    }

    /// <summary>The last message, which must be the user's: its text is the question. Earlier messages are checked, not used.</summary>
    private static string? Question(List<ChatMessageBody?>? messages, int maxChars, ValidationErrors errors)
    {
        if (messages is null)
        {
            errors.Add("messages", "is required; the question is the last message, from the user");
            return null;
        }
        if (messages.Count == 0)
        {
            errors.Add("messages", "is empty; send the question as a user message");
            return null;
        }
        string? text = null;
        for (var i = 0; i < messages.Count; i++)
        {
            var field = $"messages[{i}]";
            if (messages[i] is not { } message)
            {
                errors.Add(field, "must be an object with a role and content");
                continue;
            }
            if (message.Role is null) errors.Add($"{field}.role", "is required");
            else if (!Roles.Contains(message.Role)) errors.Add($"{field}.role", $"'{message.Role}' is not a role; use system, developer, user, assistant or tool");
            // An assistant message that only called tools has no content.
            text = Text(message.Content, required: message.Role != "assistant", $"{field}.content", errors);
        }

        var last = messages.Count - 1;
        switch (messages[last]?.Role)
        {
            case "user":
                if (text is not null) QuestionRules.Check(text, $"messages[{last}].content", maxChars, errors);
                return text;
            case { } role when Roles.Contains(role):
                if (messages.Any(m => m?.Role == "user")) errors.Add($"messages[{last}].role", $"the last message must be the user's question, not a message from '{role}'");
                else errors.Add("messages", "holds no user message; the question is the last message, from the user");
                return null;
            default:
                return null; // already reported
        }
    }

    /// <summary>A string, or the text parts of an array of content parts joined by newlines; null where a part is refused.</summary>
    private static string? Text(JsonElement? content, bool required, string field, ValidationErrors errors)
    {
        if (content is not { ValueKind: not JsonValueKind.Null } value)
        {
            if (required) errors.Add(field, "is required");
            return null;
        }
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(field, "must be a string or an array of content parts");
            return null;
        }
        var texts = new List<string>();
        var refused = false;
        var index = 0;
        foreach (var part in value.EnumerateArray())
        {
            if (PartText(part, $"{field}[{index++}]", errors) is { } text) texts.Add(text);
            else refused = true;
        }
        // A refused part is the problem to report, not the question that is left without it.
        return refused ? null : string.Join('\n', texts);
    }

    /// <summary>The text of a <c>{"type": "text", "text": …}</c> part, or null with the problem reported.</summary>
    private static string? PartText(JsonElement part, string field, ValidationErrors errors)
    {
        if (part.ValueKind != JsonValueKind.Object)
        {
            errors.Add(field, "must be a content part such as {\"type\": \"text\", \"text\": \"…\"}");
            return null;
        }
        if (!part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{field}.type", "is required (a string)");
            return null;
        }
        if (type.GetString() != "text")
        {
            errors.Add($"{field}.type", $"'{type.GetString()}' parts are not supported; RagSuite answers from text parts only");
            return null;
        }
        if (!part.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{field}.text", "is required (a string)");
            return null;
        }
        var unknown = part.EnumerateObject().Select(p => p.Name).Where(name => name is not ("type" or "text")).ToList();
        foreach (var name in unknown) errors.Add($"{field}.{name}", "is not a field of a text part");
        return unknown.Count > 0 ? null : text.GetString();
    }

    private static List<string> Stop(JsonElement? stop, ValidationErrors errors)
    {
        switch (stop?.ValueKind)
        {
            case null or JsonValueKind.Null:
                return [];
            case JsonValueKind.String:
                return [stop.Value.GetString()!];
            case JsonValueKind.Array:
                var sequences = new List<string>();
                var index = 0;
                foreach (var item in stop.Value.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String) sequences.Add(item.GetString()!);
                    else errors.Add($"stop[{index}]", "must be a string");
                    index++;
                }
                return sequences;
            default:
                errors.Add("stop", "must be a string or an array of strings");
                return [];
        }
    }

    /// <summary>vLLM's top_k, where -1 (and 0) mean no top-k cut.</summary>
    private static int? TopK(long? topK, ValidationErrors errors)
    {
        switch (topK)
        {
            case null or -1 or 0:
                return null;
            case >= 1 and <= int.MaxValue:
                return (int)topK.Value;
            default:
                errors.Add("top_k", "must be at least 1, or -1 (or 0) for no top-k cut");
                return null;
        }
    }

    /// <summary><c>max_completion_tokens</c> is OpenAI's current name, <c>max_tokens</c> its older one; either may come, or both alike.</summary>
    private static int? MaxTokens(long? maxTokens, long? maxCompletionTokens, ValidationErrors errors)
    {
        if (maxTokens is { } older && maxCompletionTokens is { } newer && older != newer)
        {
            errors.Add("max_completion_tokens", $"is {newer} but max_tokens is {older}; send one of them");
            return null;
        }
        var field = maxCompletionTokens is null ? "max_tokens" : "max_completion_tokens";
        var value = maxCompletionTokens ?? maxTokens;
        if (value is null) return null;
        if (value < 1 || value > GenerationParameterRules.MaxTokensLimit)
        {
            errors.Add(field, $"must be between 1 and {GenerationParameterRules.MaxTokensLimit}");
            return null;
        }
        return (int)value;
    }

    /// <summary>OpenAI features RagSuite does not offer: accepted when off, refused by name when asked for.</summary>
    private static void CheckUnofferedFeatures(ChatCompletionBody body, ValidationErrors errors)
    {
        errors.AddIf(body.Logprobs == true, "logprobs", "is not available: RagSuite answers carry citations, not token log-probabilities");
        errors.AddIf(body.TopLogprobs is not (null or 0), "top_logprobs", "is not available: RagSuite answers carry citations, not token log-probabilities");
        if (body.Tools is { ValueKind: not JsonValueKind.Null } tools)
        {
            if (tools.ValueKind != JsonValueKind.Array) errors.Add("tools", "must be an array");
            else errors.AddIf(tools.GetArrayLength() > 0, "tools", "tool calling is not available: RagSuite answers from the collection's documents");
        }
        errors.AddIf(body.ToolChoice is { ValueKind: not JsonValueKind.Null } choice && !(choice.ValueKind == JsonValueKind.String && choice.GetString() is "none" or "auto"),
            "tool_choice", "must be \"none\" or \"auto\": tool calling is not available");
        errors.AddIf(body.ResponseFormat is { ValueKind: not JsonValueKind.Null } format && !IsTextFormat(format),
            "response_format", "only {\"type\": \"text\"} is available: answers are text with [n] citation marks");
        errors.AddIf(body.LogitBias is { ValueKind: not JsonValueKind.Null } bias && !(bias.ValueKind == JsonValueKind.Object && !bias.EnumerateObject().Any()),
            "logit_bias", "is not available: answers are not sampled token by token here");
        errors.AddIf(body.Store == true, "store", "is not available: RagSuite keeps no completions");
    }

    private static bool IsTextFormat(JsonElement format) =>
        format.ValueKind == JsonValueKind.Object
        && format.EnumerateObject().Count() == 1
        && format.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "text";
}
