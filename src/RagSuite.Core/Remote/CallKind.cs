namespace RagSuite.Core.Remote;

/// <summary>What a failed gRPC call may do again, decided by what repeating it would change.</summary>
public enum CallKind
{
    /// <summary>A read (search, embed, rerank): retried on another replica, and hedged where the role hedges.</summary>
    Read,
    /// <summary>A write that repeats harmlessly (an upsert, idempotent by document id): retried, never hedged.</summary>
    IdempotentWrite,
    /// <summary>A call whose repeat would answer differently (create or delete a collection): sent once.</summary>
    Once,
}
