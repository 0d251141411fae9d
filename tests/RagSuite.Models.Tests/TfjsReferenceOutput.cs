using System.Text.Json.Serialization;

namespace RagSuite.Models.Tests;

/// <summary>
/// What <c>TfjsReference/embed.mjs</c> prints: the TF.js backend that ran, the package versions, and per sentence the
/// package tokenizer's ids with the embeddings from one batched <c>embed()</c> call and from a call of its own
/// (null, with the package's error message, where the package refused).
/// </summary>
internal sealed record TfjsReferenceOutput(
    [property: JsonPropertyName("backend")] string Backend,
    [property: JsonPropertyName("versions")] IReadOnlyDictionary<string, string> Versions,
    [property: JsonPropertyName("batchError")] string? BatchError,
    [property: JsonPropertyName("results")] IReadOnlyList<TfjsReferenceOutput.Sentence> Results)
{
    internal sealed record Sentence(
        [property: JsonPropertyName("ids")] int[] Ids,
        [property: JsonPropertyName("batch")] float[]? Batch,
        [property: JsonPropertyName("alone")] float[]? Alone,
        [property: JsonPropertyName("aloneError")] string? AloneError);
}
