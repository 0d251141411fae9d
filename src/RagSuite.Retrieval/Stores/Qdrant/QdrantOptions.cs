using System.ComponentModel.DataAnnotations;

namespace RagSuite.Retrieval.Stores.Qdrant;

/// <summary>How the retriever reaches Qdrant (section <c>RagSuite:Qdrant</c>), used when <c>RagSuite:Retriever:Store</c> is <c>qdrant</c>.</summary>
public sealed class QdrantOptions : IValidatableObject
{
    public const string Section = "RagSuite:Qdrant";

    /// <summary>Qdrant's REST endpoint, such as <c>http://qdrant:6333</c>; no credentials in it (the key comes from <see cref="ApiKeyFile"/>).</summary>
    [Required]
    public string Url { get; set; } = "http://localhost:6333";

    /// <summary>A file holding the API key (a mounted Kubernetes Secret); empty for a server without authentication.</summary>
    public string ApiKeyFile { get; set; } = "";

    /// <summary>How long one attempt of one request may take.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries of an idempotent request after a connection failure, a timeout or a 5xx answer.</summary>
    [Range(1, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry's delay; later ones double it, with jitter.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The Qdrant collection that records each RagSuite collection's configuration.</summary>
    [Required]
    public string CatalogCollection { get; set; } = "ragsuite_catalog";

    /// <summary>What the attributes cannot check (run by <c>ValidateDataAnnotations</c>); each message names the setting.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Problems().Select(problem => new ValidationResult(problem));

    private IEnumerable<string> Problems()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            yield return $"{Section}:Url must be an absolute http or https URL";
        }
        else if (url.UserInfo.Length > 0)
        {
            // Credentials in a URL end up in logs and traces; the key belongs in ApiKeyFile.
            yield return $"{Section}:Url must not carry credentials; put the API key in {Section}:ApiKeyFile";
        }
        if (ApiKeyFile.Length > 0 && !File.Exists(ApiKeyFile)) yield return $"{Section}:ApiKeyFile names a file that does not exist";
    }
}
