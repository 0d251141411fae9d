using RagSuite.Generation.Prompts;
using RagSuite.Testing;

namespace RagSuite.Generator.Tests.Prompts;

public sealed class PromptTemplateTests
{
    [Fact]
    public void The_built_in_template_loads_and_renders_question_and_sources_once()
    {
        var catalog = PromptTemplateCatalog.Load(null);
        Assert.True(catalog.TryResolve("grounded-qa", out var template));

        var (system, user) = template.Render("⟦source 1 · x⟧\nText\n⟦end of source 1 · x⟧", "What about {{sources}}?", "docs");

        Assert.Equal("grounded-qa@1", template.Id);
        Assert.Contains("[1]", system);
        Assert.EndsWith("Question: What about {{sources}}?", user);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(user, "⟦source 1"));
    }

    public static TheoryData<string, string, string> BadTemplates => new()
    {
        { "plain.prompt", "[user]\n{{sources}} {{question}}", "name@version" },
        { "qa@0.prompt", "[user]\n{{sources}} {{question}}", "name@version" },
        { "qa@x.prompt", "[user]\n{{sources}} {{question}}", "name@version" },
        { "bad name@1.prompt", "[user]\n{{sources}} {{question}}", "name@version" },
        { "qa@1.prompt", "[system]\nHello {{sources}} {{question}}", "[user] section is missing" },
        { "qa@1.prompt", "[user]\n   \n", "[user] section is missing" },
        { "qa@1.prompt", "[user]\n{{question}}", "{{sources}} must appear exactly once (it appears 0 times)" },
        { "qa@1.prompt", "[user]\n{{sources}} {{sources}} {{question}}", "{{sources}} must appear exactly once (it appears 2 times)" },
        { "qa@1.prompt", "[user]\n{{sources}}", "{{question}} must appear exactly once" },
        { "qa@1.prompt", "[user]\n{{sources}} {{question}} {{secret}}", "unknown placeholder {{secret}}" },
        { "qa@1.prompt", "[user]\n{{sources}} {{question}}\n[user]\nagain", "[user] section appears twice" },
        { "qa@1.prompt", "Intro text\n[user]\n{{sources}} {{question}}", "text before the first section" },
    };

    [Theory]
    [MemberData(nameof(BadTemplates))]
    public void A_bad_template_is_refused_with_what_is_wrong(string fileName, string content, string message)
    {
        var error = Assert.Throws<FormatException>(() => PromptTemplate.Parse(fileName, content));

        Assert.Contains(message, error.Message);
        Assert.Contains(fileName, error.Message);
    }

    [Fact]
    public void Directory_templates_add_versions_and_name_alone_means_the_latest()
    {
        using var directory = new TemporaryDirectory("ragsuite-templates");
        File.WriteAllText(Path.Combine(directory.Path, "brief@1.prompt"), "# one\n[user]\n{{sources}}\n{{question}}");
        File.WriteAllText(Path.Combine(directory.Path, "brief@10.prompt"), "[user]\n{{sources}}\nTen: {{question}}");
        File.WriteAllText(Path.Combine(directory.Path, "brief@2.prompt"), "[user]\n{{sources}}\nTwo: {{question}}");
        File.WriteAllText(Path.Combine(directory.Path, "notes.txt"), "not a template");

        var catalog = PromptTemplateCatalog.Load(directory.Path);

        Assert.Equal(["brief@1", "brief@10", "brief@2", "grounded-qa@1"], catalog.Ids);
        Assert.True(catalog.TryResolve("brief", out var latest));
        Assert.True(catalog.TryResolve("brief@2", out var second));
        Assert.Equal(10, latest.Version);
        Assert.Equal(2, second.Version);
        Assert.False(catalog.TryResolve("brief@3", out _));
    }

    [Fact]
    public void A_directory_template_cannot_redefine_a_version()
    {
        using var directory = new TemporaryDirectory("ragsuite-templates");
        File.WriteAllText(Path.Combine(directory.Path, "grounded-qa@1.prompt"), "[user]\n{{sources}} {{question}}");

        var error = Assert.Throws<FormatException>(() => PromptTemplateCatalog.Load(directory.Path));

        Assert.Contains("redefines grounded-qa@1", error.Message);
    }
}
