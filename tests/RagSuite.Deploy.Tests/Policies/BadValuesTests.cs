namespace RagSuite.Deploy.Tests.Policies;

/// <summary>Values the schema lets through but that could not work fail the render, with a message naming the value.</summary>
public sealed class BadValuesTests(ChartRenderer renderer) : IClassFixture<ChartRenderer>
{
    [ChartRendererTheory]
    [InlineData("probes: {readiness: {periodSeconds: 5, timeoutSeconds: 5, failureThreshold: 3}}", "probes.readiness.timeoutSeconds")]
    [InlineData("probes: {readiness: {periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 3}}", "probes.readiness.timeoutSeconds")]
    [InlineData("networkPolicy: {gatewayFrom: [{}]}", "networkPolicy.gatewayFrom")]
    [InlineData("gateway: {config: {queryTimeout: 2m}}", "gateway.config.queryTimeout")]
    [InlineData("gateway: {services: {generator: {address: '', timeout: '120', maxAttempts: 1}}}", "gateway.services.generator.timeout")]
    [InlineData("gateway: {httpRoute: {enabled: true}}", "gateway.httpRoute.parentRefs")]
    [InlineData("externalSecrets: {enabled: true, secretStoreRef: {name: vault}}", "externalSecrets.secrets")]
    [InlineData("""
        auth: {existingSecret: ragsuite-api-keys}
        externalSecrets: {enabled: true, secrets: {ragsuite-api-keys: {data: [{secretKey: keys.json, remoteRef: {key: k}}]}}}
        """, "externalSecrets.secretStoreRef.name")]
    [InlineData("""
        externalSecrets: {enabled: true, secretStoreRef: {name: vault}, secrets: {ragsuite-nothing-reads-this: {data: [{secretKey: a, remoteRef: {key: k}}]}}}
        """, "externalSecrets.secrets.ragsuite-nothing-reads-this")]
    [InlineData("""
        auth: {existingSecret: ragsuite-api-keys}
        externalSecrets: {enabled: true, secretStoreRef: {name: vault}, secrets: {ragsuite-api-keys: {data: [{secretKey: keys.yaml, remoteRef: {key: k}}]}}}
        """, "externalSecrets.secrets.ragsuite-api-keys.data")]
    [InlineData("""
        serviceToken: {existingSecret: ragsuite-service-token}
        externalSecrets: {enabled: true, secretStoreRef: {name: vault}, secrets: {ragsuite-service-token: {}}}
        """, "externalSecrets.secrets.ragsuite-service-token")]
    public async Task A_value_that_cannot_work_fails_the_render_naming_it(string overrides, string named)
    {
        var (code, _, error) = await ChartObjects.RenderRawAsync(renderer, "values.yaml", overrides);

        Assert.NotEqual(0, code);
        Assert.Contains(named, error, StringComparison.Ordinal);
    }
}
