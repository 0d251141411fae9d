using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;
using RagSuite.Embedder;
using RagSuite.Generator;
using RagSuite.Reranker;
using RagSuite.Retriever;
using RagSuite.Testing;

namespace RagSuite.Gateway.Tests;

/// <summary>A wrong setting stops a host at start-up with a message that names the setting.</summary>
public sealed class StartupValidationTests
{
    public static TheoryData<string, string, string> Settings => new()
    {
        { "gateway", "RagSuite:Gateway:MaxTopK=0", "MaxTopK" },
        { "gateway", "RagSuite:Gateway:DefaultChunkTokens=4", "DefaultChunkTokens" },
        { "gateway", "RagSuite:Services:Embedder:Address=ftp://example", "RagSuite:Services:Embedder:Address" },
        { "gateway", "RagSuite:Services:Retriever:Address=http://127.0.0.1:1;RagSuite:Services:Retriever:Timeout=00:00:00.001", "Timeout" },
        { "gateway", "RagSuite:Services:Generator:Address=http://127.0.0.1:1;RagSuite:Services:Generator:MaxAttempts=9", "MaxAttempts" },
        { "gateway", "RagSuite:Gateway:Auth:KeysFile=/nonexistent/keys.json", "RagSuite:Gateway:Auth:KeysFile" },
        { "gateway", "RagSuite:Gateway:Auth:ReloadSeconds=0", "ReloadSeconds" },
        { "gateway", "RagSuite:Gateway:Auth:Burst=0", "Burst" },
        { "embedder", "RagSuite:Embedder:MaxBatchSize=0", "MaxBatchSize" },
        { "retriever", "RagSuite:Retriever:MaxTopK=-5", "MaxTopK" },
        { "retriever", "RagSuite:Retriever:DataDirectory=", "DataDirectory" },
        { "reranker", "RagSuite:Reranker:MaxPassages=0", "MaxPassages" },
        { "generator", "RagSuite:Generator:MaxAnswerSentences=100", "MaxAnswerSentences" },
        { "generator", "RagSuite:Hosting:BindAddress=not-an-ip", "BindAddress" },
        { "generator", "RagSuite:ServiceToken:File=/nonexistent/token", "RagSuite:ServiceToken" },
        { "generator", "RagSuite:ServiceToken:Value=too-short", "at least 16 characters" },
        { "generator", "RagSuite:ServiceToken:Value=0123456789abcdef0123;RagSuite:ServiceToken:File=/run/token", "File or Value" },
        { "gateway", "RagSuite:Gateway:Cors:AllowedOrigins:0=*", "AllowedOrigins" },
        { "gateway", "RagSuite:Gateway:Cors:AllowedOrigins:0=https://app.example.com/path", "AllowedOrigins" },
    };

    [Theory]
    [MemberData(nameof(Settings))] // settings: key=value pairs separated by ';'
    public async Task Invalid_setting_stops_start_up_naming_it(string host, string setting, string named)
    {
        using var data = new TemporaryDirectory();
        Func<string[], WebApplication> build = host switch
        {
            "gateway" => GatewayHost.Build,
            "embedder" => EmbedderHost.Build,
            "retriever" => RetrieverHost.Build,
            "reranker" => RerankerHost.Build,
            _ => GeneratorHost.Build,
        };

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            RunningHost.StartAsync(build, [$"RagSuite:Retriever:DataDirectory={data.Path}", .. setting.Split(';')]));

        Assert.Contains(named, string.Join(" ", error.Failures.Append(error.Message)));
    }
}
