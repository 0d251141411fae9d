namespace RagSuite.Core.Remote;

/// <summary>
/// The moment the request being served must be answered by, when its host set one. Every service call made for the
/// request takes its total budget from what is left, so retries and hedges never outlive the request that needs them.
/// </summary>
public static class RequestDeadline
{
    private static readonly AsyncLocal<DateTime?> Current = new();

    /// <summary>The deadline (UTC) of the request this code runs for, or null when none was set.</summary>
    public static DateTime? Value => Current.Value;

    /// <summary>Sets the deadline for the rest of this asynchronous flow: the request's handler and what it awaits.</summary>
    public static void Set(DateTime utcDeadline) => Current.Value = utcDeadline;

    /// <summary>The time a call may take: its own budget, cut to what is left of the request's.</summary>
    public static TimeSpan Budget(TimeSpan callBudget) =>
        Value is { } deadline ? TimeSpan.FromTicks(Math.Clamp((deadline - DateTime.UtcNow).Ticks, 0, callBudget.Ticks)) : callBudget;
}
