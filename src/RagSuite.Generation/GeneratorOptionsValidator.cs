using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using RagSuite.Generation.Prompts;
using RagSuite.Generation.Upstreams;

namespace RagSuite.Generation;

/// <summary>
/// Checks what data annotations cannot: each upstream (its settings, a unique name, an http(s) base URL, a readable
/// key, a tokenizer this build has), routing rules that name known upstreams, and templates that load and exist.
/// Every message names the setting, so a wrong value stops start-up by name.
/// </summary>
public sealed class GeneratorOptionsValidator : IValidateOptions<GeneratorOptions>
{
    private static readonly string[] ReservedNames = ["auto", ExtractiveAnswerer.Mode];

    public ValidateOptionsResult Validate(string? name, GeneratorOptions options)
    {
        var errors = new List<string>();
        var prefix = GeneratorOptions.Section;
        for (var i = 0; i < options.Upstreams.Count; i++)
        {
            CheckUpstream(options.Upstreams[i], $"{prefix}:Upstreams:{i}", errors);
        }
        foreach (var duplicate in options.Upstreams.GroupBy(u => u.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            errors.Add($"{prefix}:Upstreams: the name '{duplicate.Key}' is used {duplicate.Count()} times");
        }

        var known = options.Upstreams.Select(u => u.Name).ToHashSet(StringComparer.Ordinal);
        for (var i = 0; i < options.Routing.Rules.Count; i++)
        {
            var rule = options.Routing.Rules[i];
            var at = $"{prefix}:Routing:Rules:{i}";
            if (rule.Upstreams.Count == 0) errors.Add($"{at}:Upstreams must name at least one upstream");
            errors.AddRange(rule.Upstreams.Where(u => !known.Contains(u)).Select(u => $"{at}:Upstreams: no upstream is named '{u}'"));
            if (rule.MinPromptTokens is < 0 || rule.MaxPromptTokens is < 0) errors.Add($"{at}: prompt token bounds must not be negative");
        }
        errors.AddRange(Annotations(options.Routing, $"{prefix}:Routing"));

        try
        {
            var templates = PromptTemplateCatalog.Load(options.TemplatesDirectory);
            if (!templates.TryResolve(options.DefaultTemplate, out _)) errors.Add($"{prefix}:DefaultTemplate: no prompt template '{options.DefaultTemplate}'; available: {string.Join(", ", templates.Ids)}");
            foreach (var (collection, own) in options.Collections)
            {
                if (own.Template is { } template && !templates.TryResolve(template, out _))
                {
                    errors.Add($"{prefix}:Collections:{collection}:Template: no prompt template '{template}'; available: {string.Join(", ", templates.Ids)}");
                }
            }
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            errors.Add($"{prefix}:TemplatesDirectory: {e.Message}");
        }
        foreach (var (collection, own) in options.Collections) errors.AddRange(Annotations(own, $"{prefix}:Collections:{collection}"));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckUpstream(UpstreamOptions upstream, string at, List<string> errors)
    {
        errors.AddRange(Annotations(upstream, at));
        if (ReservedNames.Contains(upstream.Name, StringComparer.OrdinalIgnoreCase)) errors.Add($"{at}:Name: '{upstream.Name}' is reserved for a generation mode");
        if (!Uri.TryCreate(upstream.BaseUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            errors.Add($"{at}:BaseUrl must be an absolute http:// or https:// URL such as http://vllm:8000/v1");
        }
        if (!string.IsNullOrWhiteSpace(upstream.ApiKeyFile) && !File.Exists(upstream.ApiKeyFile))
        {
            errors.Add($"{at}:ApiKeyFile: the file '{upstream.ApiKeyFile}' does not exist");
        }
        if (!string.IsNullOrWhiteSpace(upstream.ApiKeyVariable) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable(upstream.ApiKeyVariable)))
        {
            errors.Add($"{at}:ApiKeyVariable: the environment variable '{upstream.ApiKeyVariable}' is not set");
        }
        try
        {
            TokenCounter.For(upstream.Tokenizer, upstream.Model);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException)
        {
            errors.Add($"{at}:Tokenizer: {e.Message}");
        }
    }

    private static IEnumerable<string> Annotations(object options, string at)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => $"{at}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}");
    }
}
