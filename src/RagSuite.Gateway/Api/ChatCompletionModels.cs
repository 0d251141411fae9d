using System.Text.Json;
using System.Text.Json.Serialization;

using RagSuite.Gateway.Pipeline;

namespace RagSuite.Gateway.Api;

/// <summary>
/// Body of <c>POST /v1/chat/completions</c>, OpenAI's request with vLLM's <c>top_k</c>. Read as strictly as every other
/// body: a field that is not here is refused. The fields from <c>logprobs</c> on are OpenAI features RagSuite does not
/// offer; they are declared so that clients sending them at their "off" values (as SDKs and chat UIs do) are served,
/// and refused by name when they ask for the feature.
/// </summary>
public sealed record ChatCompletionBody(
    List<ChatMessageBody?>? Messages,
    string? Model,
    bool? Stream = null,
    StreamOptionsBody? StreamOptions = null,
    float? Temperature = null,
    float? TopP = null,
    long? TopK = null,
    long? MaxTokens = null,
    long? MaxCompletionTokens = null,
    JsonElement? Stop = null,
    long? N = null,
    long? Seed = null,
    float? PresencePenalty = null,
    float? FrequencyPenalty = null,
    string? User = null,
    bool? Logprobs = null,
    long? TopLogprobs = null,
    JsonElement? Tools = null,
    JsonElement? ToolChoice = null,
    bool? ParallelToolCalls = null,
    JsonElement? ResponseFormat = null,
    JsonElement? LogitBias = null,
    bool? Store = null);

/// <summary>
/// One message of the conversation. <c>content</c> is a string or an array of content parts
/// (<c>{"type": "text", "text": …}</c>); <c>name</c>, <c>tool_calls</c>, <c>tool_call_id</c> and <c>refusal</c> are read
/// so that a replayed conversation is accepted, and are not used.
/// </summary>
public sealed record ChatMessageBody(
    string? Role,
    JsonElement? Content = null,
    string? Name = null,
    JsonElement? ToolCalls = null,
    string? ToolCallId = null,
    string? Refusal = null);

/// <summary><c>include_usage</c> adds a last chunk with usage and no choices; <c>include_obfuscation</c> is read and not used.</summary>
public sealed record StreamOptionsBody(bool? IncludeUsage = null, bool? IncludeObfuscation = null);

/// <summary>
/// An OpenAI <c>chat.completion</c>, plus RagSuite's <c>citations</c> (the sources the answer's <c>[n]</c> marks name, as
/// <c>/v1/query</c> returns them) and <c>ragsuite</c> (how the answer was made).
/// </summary>
public sealed record ChatCompletion(
    string Id,
    [property: JsonPropertyName("object")] string ObjectType,
    long Created,
    string Model,
    IReadOnlyList<ChatChoice> Choices,
    ChatUsage Usage,
    IReadOnlyList<CitationView> Citations,
    RagSuiteAnswerView Ragsuite);

public sealed record ChatChoice(
    int Index,
    ChatMessageView Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] object? Logprobs,
    string FinishReason);

public sealed record ChatMessageView(string Role, string Content);

/// <summary>
/// Token counts. <c>completion_tokens</c> is the generator's count of the answer; <c>prompt_tokens</c> counts, in the
/// same unit, the question and the passages (title and text) the generator was given. The extractive generator
/// counts words; an upstream model's own prompt count does not reach the gateway yet.
/// </summary>
public sealed record ChatUsage(int PromptTokens, int CompletionTokens, int TotalTokens);

/// <summary>
/// How the answer was made: the generator's <c>mode</c> (<c>extractive</c> or <c>llm</c>) and <c>model</c>, its own
/// <c>finish_reason</c> (which may be <c>no_answer</c>, reported to OpenAI clients as <c>stop</c>), the retrieval that
/// found the sources, per-stage timings, and the answer's lineage (upstream, template, groundedness, injection screen,
/// notes), and the services that were unavailable and what served instead (<c>degraded</c>) — as <c>/v1/query</c>
/// reports them.
/// </summary>
public sealed record RagSuiteAnswerView(
    string? Mode,
    string? Model,
    string? FinishReason,
    RetrievalView Retrieval,
    TimingsView TimingsMs,
    GenerationView? Generation = null,
    IReadOnlyList<Degradation>? Degraded = null);

/// <summary>
/// One <c>chat.completion.chunk</c> of a streamed answer. The chunk with the <c>finish_reason</c> also carries
/// <c>citations</c> and <c>ragsuite</c>; the usage chunk, sent when <c>stream_options.include_usage</c> is true, has no choices.
/// </summary>
public sealed record ChatCompletionChunk(
    string Id,
    [property: JsonPropertyName("object")] string ObjectType,
    long Created,
    string Model,
    IReadOnlyList<ChatChunkChoice> Choices,
    ChatUsage? Usage = null,
    IReadOnlyList<CitationView>? Citations = null,
    RagSuiteAnswerView? Ragsuite = null);

/// <summary>A choice in a chunk; <c>finish_reason</c> is written as null until the last one, as OpenAI and vLLM do.</summary>
public sealed record ChatChunkChoice(
    int Index,
    ChatDelta Delta,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] object? Logprobs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? FinishReason);

/// <summary>What a chunk adds to the message: the role in the first chunk, then pieces of content; empty in the last.</summary>
public sealed record ChatDelta(string? Role = null, string? Content = null);
