using System.Security.Cryptography;
using RagSuite.Generation.Safety;

namespace RagSuite.Generation.Prompts;

/// <summary>
/// One retrieved passage as the model sees it: between an opening and a closing marker that carry its number and a
/// per-request nonce. The marker brackets ⟦ ⟧ are neutralised in the text along with control, markup and role
/// sequences, so no passage can close its block or open another.
/// </summary>
public sealed record SourceBlock(int Number, string Title, string Text)
{
    public string Render(string nonce)
    {
        var title = Title.Length > 0 ? $"Title: {SourceText.Neutralise(Title).Text}\n" : "";
        return $"⟦source {Number} · {nonce}⟧\n{title}{SourceText.Neutralise(Text).Text}\n⟦end of source {Number} · {nonce}⟧";
    }

    /// <summary>A short random marker suffix, so that a passage cannot guess its block's closing line.</summary>
    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
}
