using k8s.Models;
using YamlDotNet.Serialization;

namespace RagSuite.Deploy.Tests.Crds;

/// <summary>argoproj.io/v1alpha1 AppProject: which repositories, destinations and kinds its Applications may use.</summary>
public sealed class AppProject : CustomResource<AppProjectSpec>;

/// <summary>argoproj.io/v1alpha1 Application: one source (a chart and its values) synced into one destination.</summary>
public sealed class Application : CustomResource<ApplicationSpec>;

/// <summary>argoproj.io/v1alpha1 ApplicationSet: Applications generated from a template, one per generator element.</summary>
public sealed class ApplicationSet : CustomResource<ApplicationSetSpec>;

public sealed class AppProjectSpec
{
    public string? Description { get; set; }

    public List<string>? SourceRepos { get; set; }

    public List<string>? SourceNamespaces { get; set; }

    public List<ApplicationDestination>? Destinations { get; set; }

    public List<GroupKind>? ClusterResourceWhitelist { get; set; }

    public List<GroupKind>? ClusterResourceBlacklist { get; set; }

    public List<GroupKind>? NamespaceResourceWhitelist { get; set; }

    public List<GroupKind>? NamespaceResourceBlacklist { get; set; }

    public OrphanedResources? OrphanedResources { get; set; }

    public List<ProjectRole>? Roles { get; set; }

    public List<SyncWindow>? SyncWindows { get; set; }

    public bool? PermitOnlyProjectScopedClusters { get; set; }
}

public sealed class GroupKind
{
    public string? Group { get; set; }

    public string? Kind { get; set; }
}

public sealed class OrphanedResources
{
    public bool? Warn { get; set; }

    public List<OrphanedResourceKey>? Ignore { get; set; }
}

public sealed class OrphanedResourceKey
{
    public string? Group { get; set; }

    public string? Kind { get; set; }

    public string? Name { get; set; }
}

public sealed class ProjectRole
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public List<string>? Policies { get; set; }

    public List<string>? Groups { get; set; }
}

/// <summary>When syncs may (allow) or may not (deny) run: a cron schedule and a duration.</summary>
public sealed class SyncWindow
{
    public string? Kind { get; set; }

    public string? Schedule { get; set; }

    public string? Duration { get; set; }

    public List<string>? Applications { get; set; }

    public List<string>? Namespaces { get; set; }

    public List<string>? Clusters { get; set; }

    public bool? ManualSync { get; set; }

    public string? TimeZone { get; set; }
}

public sealed class ApplicationSpec
{
    public string? Project { get; set; }

    public ApplicationSource? Source { get; set; }

    public List<ApplicationSource>? Sources { get; set; }

    public ApplicationDestination? Destination { get; set; }

    public SyncPolicy? SyncPolicy { get; set; }

    public List<ResourceIgnoreDifferences>? IgnoreDifferences { get; set; }

    public List<Info>? Info { get; set; }

    public long? RevisionHistoryLimit { get; set; }
}

public sealed class ApplicationSource
{
    [YamlMember(Alias = "repoURL", ApplyNamingConventions = false)]
    public string? RepoUrl { get; set; }

    public string? Path { get; set; }

    public string? TargetRevision { get; set; }

    public string? Chart { get; set; }

    public string? Ref { get; set; }

    public string? Name { get; set; }

    public ApplicationSourceHelm? Helm { get; set; }

    public ApplicationSourceDirectory? Directory { get; set; }
}

public sealed class ApplicationSourceHelm
{
    public List<string>? ValueFiles { get; set; }

    /// <summary>Values as one YAML string.</summary>
    public string? Values { get; set; }

    /// <summary>Values as an object: the schema keeps its fields (x-kubernetes-preserve-unknown-fields), so anything goes.</summary>
    public Dictionary<string, object>? ValuesObject { get; set; }

    public List<HelmParameter>? Parameters { get; set; }

    public List<HelmFileParameter>? FileParameters { get; set; }

    public string? ReleaseName { get; set; }

    public bool? PassCredentials { get; set; }

    public bool? IgnoreMissingValueFiles { get; set; }

    public bool? SkipCrds { get; set; }

    public bool? SkipSchemaValidation { get; set; }

    public bool? SkipTests { get; set; }

    public string? Version { get; set; }

    public string? KubeVersion { get; set; }

    public List<string>? ApiVersions { get; set; }

    public string? Namespace { get; set; }
}

public sealed class HelmParameter
{
    public string? Name { get; set; }

    public string? Value { get; set; }

    public bool? ForceString { get; set; }
}

public sealed class HelmFileParameter
{
    public string? Name { get; set; }

    public string? Path { get; set; }
}

public sealed class ApplicationSourceDirectory
{
    public bool? Recurse { get; set; }

    public string? Include { get; set; }

    public string? Exclude { get; set; }
}

public sealed class ApplicationDestination
{
    public string? Server { get; set; }

    public string? Namespace { get; set; }

    public string? Name { get; set; }
}

public sealed class SyncPolicy
{
    public SyncPolicyAutomated? Automated { get; set; }

    public List<string>? SyncOptions { get; set; }

    public RetryStrategy? Retry { get; set; }

    public ManagedNamespaceMetadata? ManagedNamespaceMetadata { get; set; }
}

public sealed class SyncPolicyAutomated
{
    public bool? Prune { get; set; }

    public bool? SelfHeal { get; set; }

    public bool? AllowEmpty { get; set; }

    public bool? Enabled { get; set; }
}

public sealed class RetryStrategy
{
    public long? Limit { get; set; }

    public Backoff? Backoff { get; set; }

    public bool? Refresh { get; set; }
}

public sealed class Backoff
{
    public string? Duration { get; set; }

    public long? Factor { get; set; }

    public string? MaxDuration { get; set; }
}

public sealed class ManagedNamespaceMetadata
{
    public Dictionary<string, string>? Labels { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }
}

/// <summary>Fields Argo CD does not compare (an HPA owns spec.replicas, for one).</summary>
public sealed class ResourceIgnoreDifferences
{
    public string? Group { get; set; }

    public string? Kind { get; set; }

    public string? Name { get; set; }

    public string? Namespace { get; set; }

    public List<string>? JsonPointers { get; set; }

    public List<string>? JqPathExpressions { get; set; }

    public List<string>? ManagedFieldsManagers { get; set; }
}

public sealed class Info
{
    public string? Name { get; set; }

    public string? Value { get; set; }
}

public sealed class ApplicationSetSpec
{
    public bool? GoTemplate { get; set; }

    public List<string>? GoTemplateOptions { get; set; }

    public List<ApplicationSetGenerator>? Generators { get; set; }

    public ApplicationSetTemplate? Template { get; set; }

    public string? TemplatePatch { get; set; }

    public ApplicationSetStrategy? Strategy { get; set; }

    public ApplicationSetSyncPolicy? SyncPolicy { get; set; }

    public ApplicationSetPreservedFields? PreservedFields { get; set; }

    public List<ApplicationSetIgnoreDifferences>? IgnoreApplicationDifferences { get; set; }
}

public sealed class ApplicationSetGenerator
{
    public ListGenerator? List { get; set; }

    public ClusterGenerator? Clusters { get; set; }

    public GitGenerator? Git { get; set; }

    public MatrixGenerator? Matrix { get; set; }

    public V1LabelSelector? Selector { get; set; }
}

/// <summary>A fixed list of parameter sets; each element's fields are free-form (x-kubernetes-preserve-unknown-fields).</summary>
public sealed class ListGenerator
{
    public List<Dictionary<string, object>>? Elements { get; set; }

    public string? ElementsYaml { get; set; }

    public ApplicationSetTemplate? Template { get; set; }
}

public sealed class ClusterGenerator
{
    public V1LabelSelector? Selector { get; set; }

    public Dictionary<string, string>? Values { get; set; }

    public ApplicationSetTemplate? Template { get; set; }
}

public sealed class GitGenerator
{
    [YamlMember(Alias = "repoURL", ApplyNamingConventions = false)]
    public string? RepoUrl { get; set; }

    public string? Revision { get; set; }

    public List<GitDirectory>? Directories { get; set; }

    public List<GitFile>? Files { get; set; }

    public string? PathParamPrefix { get; set; }

    public Dictionary<string, string>? Values { get; set; }

    public long? RequeueAfterSeconds { get; set; }

    public ApplicationSetTemplate? Template { get; set; }
}

public sealed class GitDirectory
{
    public string? Path { get; set; }

    public bool? Exclude { get; set; }
}

public sealed class GitFile
{
    public string? Path { get; set; }

    public bool? Exclude { get; set; }
}

/// <summary>The product of two generators' parameter sets (nested generators are free-form in the CRD's schema).</summary>
public sealed class MatrixGenerator
{
    public List<Dictionary<string, object>>? Generators { get; set; }

    public ApplicationSetTemplate? Template { get; set; }
}

public sealed class ApplicationSetTemplate
{
    public ApplicationSetTemplateMeta? Metadata { get; set; }

    public ApplicationSpec? Spec { get; set; }
}

/// <summary>The generated Application's metadata: a subset of ObjectMeta.</summary>
public sealed class ApplicationSetTemplateMeta
{
    public string? Name { get; set; }

    public string? Namespace { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    public Dictionary<string, string>? Annotations { get; set; }

    public List<string>? Finalizers { get; set; }
}

public sealed class ApplicationSetStrategy
{
    public string? Type { get; set; }

    public ApplicationSetRolloutStrategy? RollingSync { get; set; }
}

public sealed class ApplicationSetRolloutStrategy
{
    public List<ApplicationSetRolloutStep>? Steps { get; set; }
}

public sealed class ApplicationSetRolloutStep
{
    public List<ApplicationMatchExpression>? MatchExpressions { get; set; }

    public IntOrString? MaxUpdate { get; set; }
}

public sealed class ApplicationMatchExpression
{
    public string? Key { get; set; }

    public string? Operator { get; set; }

    public List<string>? Values { get; set; }
}

public sealed class ApplicationSetSyncPolicy
{
    public bool? PreserveResourcesOnDeletion { get; set; }

    public string? ApplicationsSync { get; set; }
}

public sealed class ApplicationSetPreservedFields
{
    public List<string>? Annotations { get; set; }

    public List<string>? Labels { get; set; }
}

public sealed class ApplicationSetIgnoreDifferences
{
    public string? Name { get; set; }

    public List<string>? JsonPointers { get; set; }

    public List<string>? JqPathExpressions { get; set; }
}
