namespace RagSuite.Gateway.Pipeline;

/// <summary>
/// The text a model sees for a chunk: its document's title, a blank line, then the chunk. Giving every
/// chunk its title lets a chunk from the middle of a document still match a question about the document.
/// </summary>
public static class ModelText
{
    public static string Of(string? title, string chunk) =>
        string.IsNullOrEmpty(title) ? chunk : $"{title}\n\n{chunk}";
}
