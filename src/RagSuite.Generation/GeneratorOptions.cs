using System.ComponentModel.DataAnnotations;
using RagSuite.Generation.Routing;
using RagSuite.Generation.Upstreams;

namespace RagSuite.Generation;

/// <summary>Limits, upstreams and policies of the generator (section <c>RagSuite:Generator</c>).</summary>
public sealed class GeneratorOptions
{
    public const string Section = "RagSuite:Generator";

    /// <summary>Most passages one request may carry.</summary>
    [Range(1, 1000)]
    public int MaxPassages { get; set; } = 100;

    /// <summary>Longest question accepted, in characters.</summary>
    [Range(1, 1_000_000)]
    public int MaxQuestionChars { get; set; } = 8192;

    /// <summary>Most sentences an extractive answer joins.</summary>
    [Range(1, 20)]
    public int MaxAnswerSentences { get; set; } = 3;

    /// <summary>Answer length, in tokens (words for extractive answers), when the request sets no max_tokens.</summary>
    [Range(1, 8192)]
    public int DefaultMaxTokens { get; set; } = 256;

    /// <summary>OpenAI-compatible chat-completions endpoints, tried in the order the routing policy gives. None: extractive answers.</summary>
    public List<UpstreamOptions> Upstreams { get; set; } = [];

    public RoutingOptions Routing { get; set; } = new();

    /// <summary>A directory of <c>name@version.prompt</c> files (a mounted ConfigMap), added to the built-in templates.</summary>
    public string? TemplatesDirectory { get; set; }

    /// <summary>The template of collections that name none: <c>name</c> (its latest version) or <c>name@version</c>.</summary>
    [Required]
    public string DefaultTemplate { get; set; } = "grounded-qa";

    /// <summary>What instruction-like content in a question or passage does: <c>flag</c>, <c>drop</c> (the passage) or <c>refuse</c>.</summary>
    [RegularExpression("^(flag|drop|refuse)$", ErrorMessage = "InjectionPolicy must be flag, drop or refuse")]
    public string InjectionPolicy { get; set; } = "flag";

    /// <summary>Answers whose groundedness is below this are flagged in the response.</summary>
    [Range(0.0, 1.0)]
    public double GroundednessThreshold { get; set; } = 0.5;

    /// <summary>
    /// How support is judged: <c>auto</c> (the embedder's dense model when there is one, else lexical), <c>embedding</c>
    /// or <c>lexical</c>.
    /// </summary>
    [RegularExpression("^(auto|embedding|lexical)$", ErrorMessage = "GroundingMethod must be auto, embedding or lexical")]
    public string GroundingMethod { get; set; } = "auto";

    /// <summary>
    /// Cosine similarity at which an answer sentence counts as supported by a sentence of a cited source (embedding
    /// method). 0.65 separated XQuAD claims from their own paragraph and from a neighbouring one best with USE-lite.
    /// </summary>
    [Range(0.0, 1.0)]
    public double EmbeddingSupport { get; set; } = 0.65;

    /// <summary>Share of a sentence's content words found in a cited source at which it counts as supported (lexical method).</summary>
    [Range(0.0, 1.0)]
    public double LexicalSupport { get; set; } = 0.5;

    /// <summary>Per-collection template, routing, injection policy and groundedness threshold, by collection name.</summary>
    public Dictionary<string, CollectionGenerationOptions> Collections { get; set; } = new(StringComparer.Ordinal);

    public CollectionGenerationOptions For(string collection) =>
        Collections.TryGetValue(collection, out var own) ? own : new CollectionGenerationOptions();

    public string TemplateFor(string collection) => For(collection).Template ?? DefaultTemplate;

    public string InjectionPolicyFor(string collection) => For(collection).InjectionPolicy ?? InjectionPolicy;

    public double GroundednessThresholdFor(string collection) => For(collection).GroundednessThreshold ?? GroundednessThreshold;
}

/// <summary>One collection's generation settings; each one left out takes the generator's default.</summary>
public sealed class CollectionGenerationOptions
{
    public string? Template { get; set; }

    [RegularExpression("^(flag|drop|refuse)$", ErrorMessage = "InjectionPolicy must be flag, drop or refuse")]
    public string? InjectionPolicy { get; set; }

    [Range(0.0, 1.0)]
    public double? GroundednessThreshold { get; set; }
}
