namespace RagSuite.Gateway;

/// <summary>
/// One dependency's state as <c>/readyz</c> shows it: <c>ready</c> (its service answered), <c>unavailable</c> (it did
/// not; <paramref name="Reason"/> says why, naming the service and never its address) or <c>in-process</c> (it runs
/// in this gateway, so its readiness is this process's).
/// </summary>
public sealed record RoleReadiness(string State, string? Reason = null)
{
    public const string Ready = "ready";
    public const string Unavailable = "unavailable";
    public const string InProcess = "in-process";
}
