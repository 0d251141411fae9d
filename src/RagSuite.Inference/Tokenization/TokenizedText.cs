namespace RagSuite.Inference.Tokenization;

/// <summary>
/// A text (or a query–passage pair) as a model sees it: token ids with special tokens, segment ids,
/// and whether it was cut to the model's token limit.
/// </summary>
public sealed record TokenizedText(long[] Ids, long[] TypeIds, bool Truncated)
{
    public int Length => Ids.Length;
}
