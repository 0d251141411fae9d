using RagSuite.ServiceDefaults;

namespace RagSuite.Gateway.Tests.Security;

/// <summary>
/// Hosts listen on loopback unless they run in a container, and every image and the chart say they do, so pods still
/// listen on every interface.
/// </summary>
public sealed class BindAddressTests
{
    public static TheoryData<string?, string> Defaults => new()
    {
        { null, HostingOptions.Loopback },
        { "", HostingOptions.Loopback },
        { "false", HostingOptions.Loopback },
        { "0", HostingOptions.Loopback },
        { "true", HostingOptions.AllInterfaces },
        { "True", HostingOptions.AllInterfaces },
        { " true ", HostingOptions.AllInterfaces },
        { "1", HostingOptions.AllInterfaces },
    };

    [Theory]
    [MemberData(nameof(Defaults))]
    public void The_default_bind_address_is_loopback_outside_a_container(string? runningInContainer, string expected) =>
        Assert.Equal(expected, HostingOptions.DefaultBindAddress(runningInContainer));

    [Fact]
    public void New_options_take_the_default_for_this_process()
    {
        var expected = HostingOptions.DefaultBindAddress(Environment.GetEnvironmentVariable(HostingOptions.InContainerVariable));

        Assert.Equal(expected, new HostingOptions().BindAddress);
    }

    private static readonly string[] Images = ["Dockerfile.embedder", "Dockerfile.gateway", "Dockerfile.generator", "Dockerfile.retriever"];

    /// <summary>Images that serve nothing: the CLI (the chart's model-pull init container) and a model image (files only).</summary>
    private static readonly string[] ToolImages = ["Dockerfile.cli", "Dockerfile.models"];

    public static TheoryData<string> Dockerfiles => [.. Images];

    [Theory]
    [MemberData(nameof(Dockerfiles))]
    public void Every_image_listens_on_all_interfaces(string dockerfile)
    {
        var text = File.ReadAllText(Path.Combine(Testing.RepositoryPaths.Root, dockerfile));

        // The image's base may not be one of Microsoft's (the GPU embedder builds on nvidia/cuda), so the Dockerfile says it itself.
        Assert.Contains("RagSuite__Hosting__BindAddress=0.0.0.0", text);
    }

    [Fact]
    public void The_chart_sets_the_bind_address_for_every_component()
    {
        var pod = File.ReadAllText(Path.Combine(Testing.RepositoryPaths.Root, "charts", "ragsuite", "templates", "_pod.tpl"));

        Assert.Contains("RagSuite__Hosting__BindAddress: \"0.0.0.0\"", pod);
    }

    [Fact]
    public void Dockerfiles_in_the_repository_root_are_all_checked_or_serve_nothing()
    {
        var found = Directory.GetFiles(Testing.RepositoryPaths.Root, "Dockerfile*").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal);

        Assert.Equal(Images.Concat(ToolImages).Order(StringComparer.Ordinal), found);
    }
}
