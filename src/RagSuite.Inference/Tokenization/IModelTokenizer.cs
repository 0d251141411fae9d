namespace RagSuite.Inference.Tokenization;

/// <summary>Turns text into the token ids one model expects, cut to at most <see cref="MaxTokens"/>.</summary>
public interface IModelTokenizer
{
    int MaxTokens { get; }

    /// <summary>Id used to pad shorter rows of a batch.</summary>
    long PaddingId { get; }

    TokenizedText Encode(string text);

    /// <summary>A (query, passage) pair for a cross-encoder, truncated longest-first as Hugging Face does.</summary>
    TokenizedText EncodePair(string query, string passage);
}
