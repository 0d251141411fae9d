namespace RagSuite.Cli;

/// <summary>A problem response from the gateway, with its status and the problem's own words.</summary>
public sealed class GatewayException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
