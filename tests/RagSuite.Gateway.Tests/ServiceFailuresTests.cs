using RagSuite.Core.Errors;
using RagSuite.Gateway.Pipeline;

namespace RagSuite.Gateway.Tests;

public sealed class ServiceFailuresTests
{
    [Theory]
    [InlineData(ErrorKind.Unavailable, true)]
    [InlineData(ErrorKind.DeadlineExceeded, true)]
    [InlineData(ErrorKind.Internal, true)]
    [InlineData(ErrorKind.Validation, false)]
    [InlineData(ErrorKind.BadRequest, false)]
    [InlineData(ErrorKind.NotFound, false)]
    [InlineData(ErrorKind.ResourceExhausted, false)]
    [InlineData(ErrorKind.PayloadTooLarge, false)]
    public void A_service_that_fails_degrades_the_query_and_a_refused_request_does_not(ErrorKind kind, bool degrades) =>
        Assert.Equal(degrades, ServiceFailures.Degrades(new RagSuiteException(kind, "what happened")));
}
