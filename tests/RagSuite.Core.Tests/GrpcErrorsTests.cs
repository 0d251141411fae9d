using Grpc.Core;
using RagSuite.Core.Errors;

namespace RagSuite.Core.Tests;

public sealed class GrpcErrorsTests
{
    public static TheoryData<ErrorKind> Kinds => [.. Enum.GetValues<ErrorKind>()];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_kind_survives_the_round_trip_through_a_gRPC_status(ErrorKind kind)
    {
        var original = new RagSuiteException(kind, "what went wrong", new Dictionary<string, string[]> { ["top_k"] = ["must be positive", "must be small"] });

        var back = GrpcErrors.FromRpcException(GrpcErrors.ToRpcException(original), "retriever");

        Assert.Equal(kind, back.Kind);
        Assert.Equal("what went wrong", back.Message);
        Assert.Equal(["must be positive", "must be small"], back.FieldErrors["top_k"]);
    }

    [Fact]
    public void A_retry_hint_survives_the_round_trip()
    {
        var original = RagSuiteException.Exhausted("queue full", TimeSpan.FromMilliseconds(1500));

        var back = GrpcErrors.FromRpcException(GrpcErrors.ToRpcException(original), "embedder");

        Assert.Equal(ErrorKind.ResourceExhausted, back.Kind);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), back.RetryAfter);
    }

    [Theory]
    [InlineData(StatusCode.Unavailable, ErrorKind.Unavailable, 503)]
    [InlineData(StatusCode.DeadlineExceeded, ErrorKind.DeadlineExceeded, 504)]
    [InlineData(StatusCode.ResourceExhausted, ErrorKind.ResourceExhausted, 429)]
    [InlineData(StatusCode.NotFound, ErrorKind.NotFound, 404)]
    [InlineData(StatusCode.InvalidArgument, ErrorKind.Validation, 422)]
    [InlineData(StatusCode.Internal, ErrorKind.Internal, 500)]
    public void A_plain_status_from_a_foreign_peer_maps_by_its_code(StatusCode code, ErrorKind kind, int http)
    {
        var error = GrpcErrors.FromRpcException(new RpcException(new Status(code, "peer said no")), "embedder");

        Assert.Equal(kind, error.Kind);
        Assert.Equal(http, error.Kind.HttpStatus());
        Assert.Contains("embedder", error.Message);
    }

    [Theory]
    [InlineData(StatusCode.ResourceExhausted)]
    [InlineData(StatusCode.NotFound)]
    [InlineData(StatusCode.InvalidArgument)]
    public void A_foreign_peers_refusal_keeps_its_detail(StatusCode code)
    {
        var error = GrpcErrors.FromRpcException(new RpcException(new Status(code, "peer said no")), "embedder");

        Assert.Contains("peer said no", error.Message);
    }

    [Theory]
    [InlineData(StatusCode.Unavailable, "The retriever is unavailable.")]
    [InlineData(StatusCode.DeadlineExceeded, "The retriever did not answer in time.")]
    [InlineData(StatusCode.Internal, "The retriever failed (Internal).")]
    [InlineData(StatusCode.Unauthenticated, "The retriever refused this gateway's calls: their service tokens differ.")]
    [InlineData(StatusCode.PermissionDenied, "The retriever refused this gateway's calls: their service tokens differ.")]
    public void A_transport_failure_names_the_service_and_never_its_address(StatusCode code, string message)
    {
        var refused = new Status(code, "Error connecting to subchannel.", new System.Net.Sockets.SocketException(111, "Connection refused (127.0.0.1:9203)"));

        var error = GrpcErrors.FromRpcException(new RpcException(refused), "retriever");

        Assert.Equal(message, error.Message);
        Assert.DoesNotContain("127.0.0.1", error.Message);
    }

    [Fact]
    public void An_unreachable_service_comes_with_a_retry_hint()
    {
        var error = GrpcErrors.FromRpcException(new RpcException(new Status(StatusCode.Unavailable, "Connection refused")), "retriever");

        Assert.Equal(GrpcErrors.UnreachableRetryAfter, error.RetryAfter);
    }

    [Fact]
    public void Validation_errors_are_collected_and_thrown_together()
    {
        var errors = new ValidationErrors();
        errors.Add("a", "is bad");
        errors.AddIf(true, "b", "is worse");
        errors.AddIf(false, "c", "is fine");

        var thrown = Assert.Throws<RagSuiteException>(() => errors.ThrowIfAny());

        Assert.Equal(ErrorKind.Validation, thrown.Kind);
        Assert.Equal(["a", "b"], thrown.FieldErrors.Keys.Order());
        Assert.Equal("a: is bad; b: is worse", thrown.Message);
    }
}
