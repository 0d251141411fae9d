using System.ComponentModel.DataAnnotations;

namespace RagSuite.Generation.Upstreams;

/// <summary>One OpenAI-compatible chat-completions endpoint (vLLM, llama.cpp, Ollama, TGI or a hosted API).</summary>
public sealed class UpstreamOptions
{
    /// <summary>How routing rules, responses and metrics name it.</summary>
    [Required, RegularExpression("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", ErrorMessage = "Name must be 1-64 letters, digits, '_', '.' or '-'")]
    public string Name { get; set; } = "";

    /// <summary>The API root, e.g. <c>http://vllm:8000/v1</c>.</summary>
    [Required]
    public string BaseUrl { get; set; } = "";

    /// <summary>The model name the server expects (vLLM: <c>--served-model-name</c>).</summary>
    [Required]
    public string Model { get; set; } = "";

    /// <summary>A file holding the API key (a mounted Secret); read at start-up, never logged.</summary>
    public string? ApiKeyFile { get; set; }

    /// <summary>An environment variable holding the API key, when there is no file.</summary>
    public string? ApiKeyVariable { get; set; }

    /// <summary>Longest wait for the first token; past it the next upstream is tried.</summary>
    [Range(0.05, 3600)]
    public double FirstTokenTimeoutSeconds { get; set; } = 30;

    /// <summary>Longest silence between two tokens once the answer has started.</summary>
    [Range(0.05, 3600)]
    public double IdleTimeoutSeconds { get; set; } = 30;

    /// <summary>Longest a whole answer may take.</summary>
    [Range(0.05, 3600)]
    public double TimeoutSeconds { get; set; } = 120;

    /// <summary>Requests in flight at once; more wait up to <see cref="QueueTimeoutSeconds"/>, then go to the next upstream.</summary>
    [Range(1, 100_000)]
    public int MaxConcurrency { get; set; } = 16;

    [Range(0, 3600)]
    public double QueueTimeoutSeconds { get; set; } = 0.5;

    /// <summary>Price per 1,000 prompt tokens, in US dollars, for the cost estimate.</summary>
    [Range(0, 1000)]
    public double InputCostPer1k { get; set; }

    [Range(0, 1000)]
    public double OutputCostPer1k { get; set; }

    /// <summary>The model's context window in tokens: the prompt plus max_tokens must fit.</summary>
    [Range(256, 10_000_000)]
    public int ContextWindow { get; set; } = 8192;

    /// <summary>
    /// How prompts are counted: a tiktoken encoding (<c>cl100k_base</c>, <c>o200k_base</c>), an OpenAI model name, or
    /// a SentencePiece <c>.model</c> file (Llama, Mistral). Unset: the encoding of an OpenAI model name, else
    /// cl100k_base with a 10% margin, since another model's tokenizer may count more.
    /// </summary>
    public string? Tokenizer { get; set; }

    /// <summary>Failures before the first token, as a share of calls in the sampling window, that open the circuit.</summary>
    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    [Range(1, 10_000)]
    public int BreakerMinimumThroughput { get; set; } = 4;

    [Range(0.5, 3600)]
    public double BreakerSamplingSeconds { get; set; } = 30;

    /// <summary>How long an open circuit keeps the upstream out before one trial call.</summary>
    [Range(0.5, 3600)]
    public double BreakerBreakSeconds { get; set; } = 15;
}
