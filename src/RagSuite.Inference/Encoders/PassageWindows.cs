using System.Text;
using RagSuite.Core.Text;
using RagSuite.Inference.Tokenization;

namespace RagSuite.Inference.Encoders;

/// <summary>
/// Cuts a passage longer than a model's token limit into windows of whole sentences that each fit, so a
/// bi-encoder sees all of it rather than its first <c>max_tokens</c>. A single sentence over the limit is a
/// window of its own (and is truncated by the model).
/// </summary>
public static class PassageWindows
{
    /// <param name="passage">The passage's text.</param>
    /// <param name="prefix">What the model puts before every passage (it counts against the limit).</param>
    /// <param name="tokenizer">The model's tokenizer.</param>
    public static List<string> Of(string passage, string prefix, IModelTokenizer tokenizer)
    {
        if (!tokenizer.Encode(prefix + passage).Truncated) return [passage];
        var windows = new List<string>();
        var window = new StringBuilder();
        foreach (var sentence in SentenceSplitter.Split(passage))
        {
            var text = passage[sentence.Start..sentence.End];
            if (window.Length > 0 && tokenizer.Encode($"{prefix}{window} {text}").Truncated)
            {
                windows.Add(window.ToString());
                window.Clear();
            }
            window.Append(window.Length > 0 ? " " : "").Append(text);
        }
        if (window.Length > 0) windows.Add(window.ToString());
        return windows;
    }
}
