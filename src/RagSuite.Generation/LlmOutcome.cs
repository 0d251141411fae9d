using RagSuite.Contracts.V1;
using RagSuite.Generation.Upstreams;

namespace RagSuite.Generation;

/// <summary>What an attempt to answer through the LLM upstreams came to, filled in as the answer streams.</summary>
public sealed class LlmOutcome
{
    /// <summary>The upstream that wrote the answer, or at least its start; null when none did.</summary>
    public ChatUpstream? Upstream { get; set; }

    public string Template { get; set; } = "";

    public int PromptTokens { get; set; }

    public int CompletionTokens { get; set; }

    public IReadOnlyList<int> Sent { get; set; } = [];

    public int Dropped { get; set; }

    public bool Truncated { get; set; }

    public string FinishReason { get; set; } = "stop";

    /// <summary>Why the answer stopped midway, when it did.</summary>
    public string Error { get; set; } = "";

    public List<UpstreamAttempt> Attempts { get; } = [];

    public double Cost { get; set; }

    public IReadOnlyList<int> Cited { get; set; } = [];

    public int CitationsRemoved { get; set; }
}
