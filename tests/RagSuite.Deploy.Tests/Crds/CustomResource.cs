using k8s;
using k8s.Models;

namespace RagSuite.Deploy.Tests.Crds;

/// <summary>
/// A custom resource as the chart renders it: apiVersion, kind, metadata and spec, nothing else (no status: a manifest never
/// sets one). The spec types below are deliberately partial, but each property they have is spelled and typed as in the
/// CRD's OpenAPI schema, so KubernetesYaml's strict mode rejects a misspelt or invented field as it does for built-in kinds.
/// Property names reach YAML through YamlDotNet's camelCase convention; an explicit alias marks each name it would get wrong.
/// </summary>
public abstract class CustomResource<TSpec> : IKubernetesObject<V1ObjectMeta>
    where TSpec : class
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public TSpec? Spec { get; set; }
}

/// <summary>A reference to one key of a Secret or ConfigMap (the shape prometheus-operator and cert-manager share).</summary>
public sealed class KeySelector
{
    public string? Name { get; set; }

    public string? Key { get; set; }

    public bool? Optional { get; set; }
}
