using Microsoft.Extensions.Options;
using RagSuite.Testing;

namespace RagSuite.Generator.Tests;

/// <summary>A wrong generator setting stops start-up with a message naming it.</summary>
public sealed class GeneratorOptionsTests
{
    private const string Upstream = "RagSuite:Generator:Upstreams:0";
    private static readonly string[] Valid = [$"{Upstream}:Name=a", $"{Upstream}:BaseUrl=http://127.0.0.1:9/v1", $"{Upstream}:Model=m"];

    public static TheoryData<string[], string> BadSettings => new()
    {
        { [$"{Upstream}:Name=a", $"{Upstream}:Model=m"], $"{Upstream}:BaseUrl" },
        { [$"{Upstream}:Name=a", $"{Upstream}:BaseUrl=ftp://host/v1", $"{Upstream}:Model=m"], $"{Upstream}:BaseUrl must be an absolute http" },
        { [$"{Upstream}:Name=a", $"{Upstream}:BaseUrl=v1", $"{Upstream}:Model=m"], $"{Upstream}:BaseUrl must be an absolute http" },
        { [$"{Upstream}:BaseUrl=http://h/v1", $"{Upstream}:Model=m"], $"{Upstream}:Name" },
        { [$"{Upstream}:Name=bad name", $"{Upstream}:BaseUrl=http://h/v1", $"{Upstream}:Model=m"], $"{Upstream}:Name" },
        { [$"{Upstream}:Name=extractive", $"{Upstream}:BaseUrl=http://h/v1", $"{Upstream}:Model=m"], "reserved" },
        { [$"{Upstream}:Name=a", $"{Upstream}:BaseUrl=http://h/v1"], $"{Upstream}:Model" },
        { [.. Valid, $"{Upstream}:ContextWindow=10"], $"{Upstream}:ContextWindow" },
        { [.. Valid, $"{Upstream}:MaxConcurrency=0"], $"{Upstream}:MaxConcurrency" },
        { [.. Valid, $"{Upstream}:FirstTokenTimeoutSeconds=0"], $"{Upstream}:FirstTokenTimeoutSeconds" },
        { [.. Valid, $"{Upstream}:BreakerFailureRatio=2"], $"{Upstream}:BreakerFailureRatio" },
        { [.. Valid, $"{Upstream}:ApiKeyFile=/nonexistent/key"], $"{Upstream}:ApiKeyFile: the file '/nonexistent/key' does not exist" },
        { [.. Valid, $"{Upstream}:ApiKeyVariable=RAGSUITE_TEST_UNSET_KEY"], "environment variable 'RAGSUITE_TEST_UNSET_KEY' is not set" },
        { [.. Valid, $"{Upstream}:Tokenizer=p99k_base"], $"{Upstream}:Tokenizer" },
        { [.. Valid, $"{Upstream}:Tokenizer=/nonexistent/tokenizer.model"], "does not exist" },
        { [.. Valid, "RagSuite:Generator:Upstreams:1:Name=A", "RagSuite:Generator:Upstreams:1:BaseUrl=http://h/v1", "RagSuite:Generator:Upstreams:1:Model=m"], "the name 'a' is used 2 times" },
        { [.. Valid, "RagSuite:Generator:Routing:Policy=cheapest"], "Routing:Policy must be" },
        { [.. Valid, "RagSuite:Generator:Routing:Rules:0:Hint=fast"], "Rules:0:Upstreams must name at least one upstream" },
        { [.. Valid, "RagSuite:Generator:Routing:Rules:0:Upstreams:0=z"], "no upstream is named 'z'" },
        { ["RagSuite:Generator:DefaultTemplate=missing"], "DefaultTemplate: no prompt template 'missing'" },
        { ["RagSuite:Generator:Collections:docs:Template=missing@2"], "Collections:docs:Template: no prompt template 'missing@2'" },
        { ["RagSuite:Generator:Collections:docs:InjectionPolicy=ignore"], "InjectionPolicy must be flag, drop or refuse" },
        { ["RagSuite:Generator:InjectionPolicy=warn"], "InjectionPolicy must be flag, drop or refuse" },
        { ["RagSuite:Generator:GroundednessThreshold=1.5"], "GroundednessThreshold" },
        { ["RagSuite:Generator:GroundingMethod=vibes"], "GroundingMethod must be auto, embedding or lexical" },
        { ["RagSuite:Generator:TemplatesDirectory=/nonexistent/templates"], "TemplatesDirectory: the templates directory" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_stops_start_up_naming_it(string[] settings, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => RunningHost.StartAsync(GeneratorHost.Build, settings));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task The_api_key_file_is_sent_as_a_bearer_token()
    {
        using var directory = new TemporaryDirectory("ragsuite-key");
        var keyFile = Path.Combine(directory.Path, "key");
        await File.WriteAllTextAsync(keyFile, "sk-test-secret\n");
        await using var suite = await GeneratorWithUpstreams.StartAsync(1, $"{Upstream}:ApiKeyFile={keyFile}");

        await suite.GenerateAsync(GeneratorWithUpstreams.Request());

        Assert.Equal("Bearer sk-test-secret", suite[0].Authorizations.Single());
    }
}
