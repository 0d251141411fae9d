using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using RagSuite.Contracts.V1;
using RagSuite.Core.Errors;
using RagSuite.Retrieval.Stores.Qdrant;

namespace RagSuite.Retriever.Tests.Stores;

/// <summary>Qdrant's failures as RagSuite errors, and the retry policy: idempotent requests are retried, others never.</summary>
public sealed class QdrantErrorTests : IDisposable
{
    private readonly QdrantTestServices _services = new();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task A_404_is_NotFound_naming_the_collection()
    {
        _services.Qdrant.Respond = r => r.Path.StartsWith("/collections/missing", StringComparison.Ordinal)
            ? FakeQdrant.Error(HttpStatusCode.NotFound, "Not found: Collection `missing` doesn't exist!") : null;
        var error = await Assert.ThrowsAsync<RagSuiteException>(() => _services.Store.CountAsync("missing", null, default));
        Assert.Equal(ErrorKind.NotFound, error.Kind);
        Assert.Equal("Collection 'missing' does not exist.", error.Message);
        Assert.Single(_services.Qdrant.Requests);
    }

    [Fact]
    public async Task A_collection_missing_from_the_catalogue_is_NotFound()
    {
        _services.Qdrant.DocsConfig = null;
        var error = await Assert.ThrowsAsync<RagSuiteException>(() => _services.Store.GetCollectionAsync("docs", default));
        Assert.Equal(ErrorKind.NotFound, error.Kind);
    }

    [Theory]
    [InlineData(HttpStatusCode.Conflict, "Wrong input: Collection `docs` already exists!")]
    [InlineData(HttpStatusCode.BadRequest, "Wrong input: Collection `docs` already exists!")]
    public async Task Creating_an_existing_collection_is_a_Conflict(HttpStatusCode status, string message)
    {
        _services.Qdrant.DocsConfig = null;
        _services.Qdrant.Respond = r => r is { Method: "PUT", Path: "/collections/docs" } ? FakeQdrant.Error(status, message) : null;
        var error = await Assert.ThrowsAsync<RagSuiteException>(() => _services.Store.CreateCollectionAsync("docs", new CollectionConfig(), default));
        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Equal("Collection 'docs' already exists.", error.Message);
    }

    [Fact]
    public async Task A_collection_in_the_catalogue_is_a_Conflict_without_asking_Qdrant_to_create_it()
    {
        var error = await Assert.ThrowsAsync<RagSuiteException>(() => _services.Store.CreateCollectionAsync("docs", new CollectionConfig(), default));
        Assert.Equal(ErrorKind.Conflict, error.Kind);
        Assert.Empty(_services.Qdrant.To("PUT", "/collections/docs"));
    }

    [Fact]
    public async Task An_idempotent_call_failing_with_500_is_retried_then_Unavailable_without_url_or_key()
    {
        _services.Qdrant.Respond = _ => FakeQdrant.Error(HttpStatusCode.InternalServerError, "Service internal error: disk full");
        var error = await Assert.ThrowsAsync<RagSuiteException>(() => _services.Store.CountAsync("docs", null, default));
        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Equal("Qdrant is unavailable (500): Service internal error: disk full", error.Message);
        Assert.Equal(1 + 3, _services.Qdrant.Requests.Count); // the first try and MaxRetries (3) retries
        Assert.DoesNotContain("qdrant.test", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(QdrantTestServices.ApiKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retried_call_succeeds_once_Qdrant_recovers()
    {
        var failures = 2;
        _services.Qdrant.Respond = _ => Interlocked.Decrement(ref failures) >= 0 ? FakeQdrant.Error(HttpStatusCode.ServiceUnavailable, "starting") : null;
        Assert.Equal(3, await _services.Store.CountAsync("docs", null, default));
        Assert.Equal(3, _services.Qdrant.Requests.Count);
    }

    [Fact]
    public async Task Upserts_are_retried_as_idempotent_writes()
    {
        var failures = 1;
        _services.Qdrant.Respond = r => r.Method == "PUT" && Interlocked.Decrement(ref failures) >= 0 ? FakeQdrant.Error(HttpStatusCode.BadGateway, "proxy") : null;
        await _services.Store.UpsertDocumentsAsync("docs", [new DocumentWrite { DocumentId = "a", Points = { new Point { Id = "a#0", Dense = { 1, 0, 0, 0 } } } }], default);
        Assert.Equal(2, _services.Qdrant.To("PUT", "/collections/docs/points?wait=true&ordering=strong").Count());
    }

    [Fact]
    public async Task Creating_a_collection_is_not_retried()
    {
        _services.Qdrant.DocsConfig = null;
        _services.Qdrant.Respond = r => r is { Method: "PUT", Path: "/collections/docs" } ? FakeQdrant.Error(HttpStatusCode.ServiceUnavailable, "busy") : null;
        var error = await Assert.ThrowsAsync<RagSuiteException>(() => _services.Store.CreateCollectionAsync("docs", new CollectionConfig(), default));
        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Single(_services.Qdrant.To("PUT", "/collections/docs"));
    }

    [Fact]
    public async Task Deleting_a_collection_is_not_retried()
    {
        _services.Qdrant.Respond = r => r is { Method: "DELETE" } ? FakeQdrant.Error(HttpStatusCode.InternalServerError, "oops") : null;
        await Assert.ThrowsAsync<RagSuiteException>(() => _services.Store.DeleteCollectionAsync("docs", default));
        Assert.Single(_services.Qdrant.Requests, r => r.Method == "DELETE");
    }

    [Fact]
    public async Task A_connection_failure_is_retried_then_Unavailable_naming_Qdrant()
    {
        _services.Qdrant.Respond = _ => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (qdrant.test:6333)");
        var error = await Assert.ThrowsAsync<RagSuiteException>(() => _services.Store.CountAsync("docs", null, default));
        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Equal("Qdrant cannot be reached (ConnectionError).", error.Message);
        Assert.Equal(4, _services.Qdrant.Requests.Count);
    }

    [Fact]
    public async Task An_attempt_that_outlasts_the_timeout_is_retried_then_Unavailable()
    {
        using var services = new QdrantTestServices(new() { ["RagSuite:Qdrant:Timeout"] = "00:00:00.200", ["RagSuite:Qdrant:MaxRetries"] = "1" });
        services.Qdrant.Delay = TimeSpan.FromSeconds(5);
        var error = await Assert.ThrowsAsync<RagSuiteException>(() => services.Store.CountAsync("docs", null, default));
        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Equal("Qdrant did not answer in time.", error.Message);
        Assert.Equal(2, services.Qdrant.Requests.Count);
    }

    [Fact]
    public async Task A_body_that_is_not_Qdrants_JSON_is_Unavailable()
    {
        _services.Qdrant.Respond = _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<html>proxy</html>") };
        var error = await Assert.ThrowsAsync<RagSuiteException>(() => _services.Store.CountAsync("docs", null, default));
        Assert.Equal(ErrorKind.Unavailable, error.Kind);
    }

    [Fact]
    public async Task A_failed_start_is_tried_again_on_the_next_call()
    {
        _services.Qdrant.Respond = _ => FakeQdrant.Error(HttpStatusCode.ServiceUnavailable, "starting");
        await Assert.ThrowsAsync<RagSuiteException>(() => _services.Store.WaitUntilReadyAsync(default));
        _services.Qdrant.Respond = _ => null;
        await _services.Store.WaitUntilReadyAsync(default);
    }

    [Fact]
    public async Task A_refused_api_key_is_Unavailable_naming_the_setting_not_the_key()
    {
        _services.Qdrant.Respond = _ => FakeQdrant.Error(HttpStatusCode.Forbidden, "Invalid api-key");
        var error = await Assert.ThrowsAsync<RagSuiteException>(() => _services.Store.CountAsync("docs", null, default));
        Assert.Equal(ErrorKind.Unavailable, error.Kind);
        Assert.Contains("RagSuite:Qdrant:ApiKeyFile", error.Message, StringComparison.Ordinal);
        Assert.Single(_services.Qdrant.Requests);
    }

    [Fact]
    public async Task Every_request_carries_the_api_key_and_no_log_line_holds_it()
    {
        await _services.Store.WaitUntilReadyAsync(default);
        await _services.Store.GetCollectionAsync("docs", default);
        await _services.Store.CountAsync("docs", null, default);
        Assert.All(_services.Qdrant.Requests, r => Assert.Equal(QdrantTestServices.ApiKey, r.ApiKey));
        Assert.NotEmpty(_services.Logs.Lines);
        Assert.DoesNotContain(_services.Logs.Lines, line => line.Contains(QdrantTestServices.ApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Readiness_is_healthy_while_Qdrant_answers_and_unhealthy_when_it_fails()
    {
        var check = ActivatorUtilities.CreateInstance<QdrantReadinessCheck>(_services.Provider);
        Assert.Equal(HealthStatus.Healthy, (await check.CheckHealthAsync(new HealthCheckContext())).Status);
        _services.Qdrant.Respond = _ => FakeQdrant.Error(HttpStatusCode.ServiceUnavailable, "down");
        var result = await check.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Contains("Qdrant", result.Description, StringComparison.Ordinal);
    }
}
