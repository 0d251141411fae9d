using System.ComponentModel.DataAnnotations;

namespace RagSuite.Inference.Batching;

/// <summary>
/// The budget of one model's dynamic batching. On CPU, small length-sorted batches run fastest (padding
/// is wasted work and large batches spill caches); on a GPU, raise <see cref="MaxBatchTokens"/> and
/// <see cref="MaxBatchSize"/> until latency at your load stops improving.
/// </summary>
public sealed class BatchingOptions
{
    /// <summary>Most padded tokens (rows × longest row) in one batch; a single longer text still runs alone.</summary>
    [Range(1, 1_000_000)]
    public int MaxBatchTokens { get; set; } = 512;

    /// <summary>Most texts in one batch.</summary>
    [Range(1, 4096)]
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>
    /// How long a text that arrives at an idle model waits for others to share its batch. Under load
    /// batches fill while the previous one runs, so this only costs latency when the model is idle.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>Most texts waiting; a request that would pass it is refused with RESOURCE_EXHAUSTED and a retry hint.</summary>
    [Range(1, 10_000_000)]
    public int MaxQueuedTexts { get; set; } = 4096;
}
