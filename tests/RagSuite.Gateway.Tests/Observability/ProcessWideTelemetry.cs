namespace RagSuite.Gateway.Tests.Observability;

/// <summary>
/// Tests that follow one request's spans run with no other test beside them in this process. ASP.NET Core's and
/// OpenTelemetry's listeners are process-wide: every in-process host's tracer provider sees every other host's requests,
/// and a host starting or stopping beside this test was seen to leave the gateway's server span out of the trace (the
/// stages then had no parent), in one CI run out of three.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideTelemetry
{
    public const string Name = "Process-wide telemetry";
}
