namespace RagSuite.Retrieval.Storage;

/// <summary>
/// A store file that is not what RagSuite wrote: named with the byte offset where reading stopped, so an operator
/// knows what `ragsuite store repair` will move aside.
/// </summary>
public sealed class StoreDamageException(string file, long offset, string problem)
    : IOException($"{file} at byte {offset}: {problem}")
{
    public string Problem { get; } = problem;
}
