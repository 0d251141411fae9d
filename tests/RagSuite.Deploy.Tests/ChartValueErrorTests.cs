namespace RagSuite.Deploy.Tests;

/// <summary>
/// Wrong GPU, vLLM, upstream and model-source values stop the render with a message naming the value, instead of
/// rendering pods that would crash-loop or wait Pending forever. Each case is refused by the template and, where the
/// schema can say it, by values.schema.json before rendering too: the expected parts are in both messages.
/// </summary>
public sealed class ChartValueErrorTests(ChartRenderer renderer) : IClassFixture<ChartRenderer>
{
    [ChartRendererTheory]
    [InlineData("vllm: {enabled: true}", "vllm.model")]
    [InlineData("vllm: {enabled: true, model: m, cache: {type: hostPath}}", "vllm.cache.type", "emptyDir")]
    [InlineData("vllm: {enabled: true, model: m, replicas: 2}", "vllm.cache", "ReadWriteOnce")]
    [InlineData("models: {source: s3}", "models.source", "modelImage")]
    [InlineData("models: {source: modelImage}", "models.modelImage.image.repository")]
    [InlineData("models: {source: modelImage, modelImage: {image: {repository: ragsuite/models}}}", "models.modelImage.image.tag")]
    [InlineData("models: {source: pull}\nembedder: {model: bge-small-en-v1.5}", "models.pull.names", "bge-small-en-v1.5")]
    [InlineData("models: {source: pull}\nreranker: {crossEncoderModel: ms-marco-minilm}", "models.pull.names", "ms-marco-minilm")]
    [InlineData("generator: {upstreams: [{name: a, model: m}]}", "generator.upstreams", "baseUrl")]
    [InlineData("generator: {upstreams: [{name: auto, baseUrl: 'http://llm:8000/v1', model: m}]}", "generator.upstreams", "name")]
    [InlineData("generator: {upstreams: [{name: Hosted, baseUrl: 'https://a/v1', model: m}, {name: hosted, baseUrl: 'https://b/v1', model: m}]}",
        "generator.upstreams", "hosted")]
    [InlineData("vllm: {enabled: true, model: m}\ngenerator: {upstreams: [{name: vllm, baseUrl: 'https://a/v1', model: m}]}", "generator.upstreams", "vllm")]
    [InlineData("reranker: {hostAntiAffinity: soft}", "reranker.hostAntiAffinity", "preferred")]
    public async Task A_wrong_value_fails_the_render_naming_it(string values, params string[] expected)
    {
        var (code, _, error) = await ChartObjects.RenderRawAsync(renderer, [], values + "\n");

        Assert.NotEqual(0, code);
        foreach (var part in expected) Assert.Contains(part, error, StringComparison.Ordinal);
    }
}
