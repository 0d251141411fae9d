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

    // How new collections are laid out on a distributed Qdrant, sent when a collection (the catalogue included) is created;
    // an existing collection keeps the layout it was created with. Null leaves the choice to the server: its
    // storage.collection settings, by default one replica and acknowledgement by one replica. A single node needs nothing
    // else; a cluster that must survive the loss of a node sets ReplicationFactor to 2 or more.

    /// <summary>Shards per data collection; null: Qdrant's default, one per node. The small catalogue always keeps the default.</summary>
    [Range(1, 1024)]
    public int? ShardNumber { get; set; }

    /// <summary>Copies of each shard Qdrant keeps on distinct nodes; null: the server's default (1).</summary>
    [Range(1, 64)]
    public int? ReplicationFactor { get; set; }

    /// <summary>
    /// Replicas that must apply a write before it is acknowledged; null: the server's default (1). At most
    /// <see cref="ReplicationFactor"/>: more could never be met, and every write would fail.
    /// </summary>
    [Range(1, 64)]
    public int? WriteConsistencyFactor { get; set; }

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
        if (WriteConsistencyFactor is { } write && write > (ReplicationFactor ?? 1))
        {
            yield return $"{Section}:WriteConsistencyFactor ({write}) must not exceed {Section}:ReplicationFactor ({ReplicationFactor?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unset, so 1"})";
        }
    }
}
