namespace RagSuite.Generation.Upstreams;

/// <summary>A piece of an upstream's streamed reply: text, and at the end its finish reason and token usage when reported.</summary>
public sealed record UpstreamReply(string Text, string? FinishReason = null, int? PromptTokens = null, int? CompletionTokens = null);
