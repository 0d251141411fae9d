namespace RagSuite.Gateway.Api;

/// <summary>
/// A checked chat completion request: the question (the last user message), the collection the model names, and the
/// generation parameters. <see cref="RouteHint"/> is the <c>:&lt;hint&gt;</c> of <c>rag:&lt;collection&gt;:&lt;hint&gt;</c>,
/// which the generator's routing rules match.
/// </summary>
public sealed record ChatQuery(
    string Model,
    string Question,
    string Collection,
    string? RouteHint,
    bool Stream,
    bool IncludeUsage,
    float? Temperature,
    float? TopP,
    int? TopK,
    int? MaxTokens,
    IReadOnlyList<string> Stop,
    long? Seed,
    float? PresencePenalty,
    float? FrequencyPenalty,
    string? User);
