namespace RagSuite.Generation.Prompts;

/// <summary>The prompt as sent: its two messages, the passages in it (1-based, as the caller numbered them), and what it cost.</summary>
public sealed record PackedPrompt(string System, string User, IReadOnlyList<int> Sent, int Dropped, bool Truncated, int PromptTokens);

/// <summary>
/// Fits a prompt to an upstream's context window: the template, the question and max_tokens always; then the source
/// blocks in rank order while they fit, dropping the lowest-ranked first. When not even the first fits whole, it
/// goes in cut at a token boundary.
/// </summary>
public static class ContextPacker
{
    /// <summary>Chat framing tokens per message and per reply (OpenAI's published accounting; close for other templates).</summary>
    public const int MessageOverhead = 4;
    public const int ReplyOverhead = 3;
    private const string Separator = "\n\n";

    /// <summary>Tokens of the prompt with every block in it, for routing by prompt length.</summary>
    public static int FullPromptTokens(PromptTemplate template, IReadOnlyList<SourceBlock> blocks, string question, string collection,
        TokenCounter counter, string nonce) =>
        BaseTokens(template, question, collection, counter) + blocks.Sum(b => counter.Count(b.Render(nonce) + Separator));

    /// <summary>The packed prompt, or null when the template and question alone leave no room in the window.</summary>
    public static PackedPrompt? Pack(PromptTemplate template, IReadOnlyList<SourceBlock> blocks, string question, string collection,
        TokenCounter counter, int contextWindow, int maxTokens, string nonce)
    {
        var budget = contextWindow - maxTokens - BaseTokens(template, question, collection, counter);
        if (budget <= 0) return null;

        var rendered = new List<string>();
        var used = 0;
        foreach (var block in blocks)
        {
            var text = block.Render(nonce);
            var tokens = counter.Count(text + Separator);
            if (used + tokens > budget) break;
            rendered.Add(text);
            used += tokens;
        }
        var truncated = false;
        if (rendered.Count == 0 && blocks.Count > 0)
        {
            // Even the best passage is longer than the room left: send as much of it as fits rather than nothing.
            var first = blocks[0];
            var frame = counter.Count(new SourceBlock(first.Number, first.Title, "").Render(nonce) + Separator);
            if (budget - frame > 0)
            {
                rendered.Add((first with { Text = counter.Truncate(first.Text, budget - frame) }).Render(nonce));
                used = budget;
                truncated = true;
            }
        }
        var sent = blocks.Take(rendered.Count).Select(b => b.Number).ToList();
        var (system, user) = template.Render(string.Join(Separator, rendered), question, collection);
        var promptTokens = counter.Count(system) + counter.Count(user) + 2 * MessageOverhead + ReplyOverhead;
        return new PackedPrompt(system, user, sent, blocks.Count - sent.Count, truncated, promptTokens);
    }

    private static int BaseTokens(PromptTemplate template, string question, string collection, TokenCounter counter)
    {
        var (system, user) = template.Render("", question, collection);
        return counter.Count(system) + counter.Count(user) + 2 * MessageOverhead + ReplyOverhead;
    }
}
