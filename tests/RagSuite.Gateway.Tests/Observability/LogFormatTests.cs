using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RagSuite.ServiceDefaults;

namespace RagSuite.Gateway.Tests.Observability;

/// <summary>Which console log format a host chooses from its settings and where it runs.</summary>
public sealed class LogFormatTests
{
    [Theory]
    [InlineData(null, null, "text")]
    [InlineData(null, "true", "json")]
    [InlineData(null, "false", "text")]
    [InlineData("text", "true", "text")]
    [InlineData("JSON", null, "json")]
    public void The_format_is_the_setting_or_json_in_a_container(string? setting, string? inContainer, string expected)
    {
        var configuration = Configuration(setting, inContainer);

        Assert.Equal(expected, LogFormat.Resolve(configuration));
    }

    [Fact]
    public void An_unknown_format_stops_the_host_with_a_message_naming_the_setting()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => LogFormat.Resolve(Configuration("yaml", null)));

        Assert.Contains("RagSuite:Hosting:LogFormat", failure.Message);
        Assert.Contains("yaml", failure.Message);
    }

    private static IConfiguration Configuration(string? setting, string? inContainer) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [LogFormat.Setting] = setting,
            ["DOTNET_RUNNING_IN_CONTAINER"] = inContainer,
        }).Build();
}
