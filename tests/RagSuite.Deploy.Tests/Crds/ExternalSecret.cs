namespace RagSuite.Deploy.Tests.Crds;

/// <summary>
/// external-secrets.io/v1beta1 ExternalSecret: the external-secrets operator creates (and refreshes) the Secret
/// <c>spec.target.name</c> (default: the ExternalSecret's own name) from a SecretStore.
/// </summary>
public sealed class ExternalSecret : CustomResource<ExternalSecretSpec>
{
    /// <summary>The name of the Secret the operator creates.</summary>
    public string TargetSecretName => Spec?.Target?.Name is { Length: > 0 } name ? name : Metadata.Name;
}

public sealed class ExternalSecretSpec
{
    public SecretStoreRef? SecretStoreRef { get; set; }

    public ExternalSecretTarget? Target { get; set; }

    public string? RefreshInterval { get; set; }

    public List<ExternalSecretData>? Data { get; set; }

    public List<ExternalSecretDataFrom>? DataFrom { get; set; }
}

public sealed class SecretStoreRef
{
    public string? Name { get; set; }

    public string? Kind { get; set; }
}

public sealed class ExternalSecretTarget
{
    public string? Name { get; set; }

    public string? CreationPolicy { get; set; }

    public string? DeletionPolicy { get; set; }

    public bool? Immutable { get; set; }

    public ExternalSecretTemplate? Template { get; set; }
}

public sealed class ExternalSecretTemplate
{
    public string? Type { get; set; }

    public string? EngineVersion { get; set; }

    public string? MergePolicy { get; set; }

    public ExternalSecretTemplateMetadata? Metadata { get; set; }

    public Dictionary<string, string>? Data { get; set; }
}

public sealed class ExternalSecretTemplateMetadata
{
    public Dictionary<string, string>? Labels { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }
}

public sealed class ExternalSecretData
{
    public string? SecretKey { get; set; }

    public RemoteRef? RemoteRef { get; set; }
}

public sealed class ExternalSecretDataFrom
{
    public RemoteRef? Extract { get; set; }
}

public sealed class RemoteRef
{
    public string? Key { get; set; }

    public string? Property { get; set; }

    public string? Version { get; set; }

    public string? ConversionStrategy { get; set; }

    public string? DecodingStrategy { get; set; }

    public string? MetadataPolicy { get; set; }
}
