using k8s;
using k8s.Models;

namespace RagSuite.Deploy.Tests.Manifests;

/// <summary>A pod the chart would create: from a workload's template, a CronJob's job template, or a bare Pod (the helm test).</summary>
/// <param name="Owner">Kind/name of the object that holds it.</param>
/// <param name="LongRunning">Deployment, StatefulSet or DaemonSet: serves until replaced, so it needs probes.</param>
public sealed record PodTemplate(string Owner, IDictionary<string, string> Labels, V1PodSpec Spec, bool LongRunning)
{
    public IEnumerable<(V1Container Container, bool Init)> Containers =>
        (Spec.InitContainers ?? []).Select(c => (c, true)).Concat((Spec.Containers ?? []).Select(c => (c, false)));
}

/// <summary>Finding pods among rendered objects, and matching them as the API server does.</summary>
public static class PodTemplates
{
    public static IEnumerable<PodTemplate> In(IEnumerable<object> objects)
    {
        foreach (var o in objects)
        {
            var template = o switch
            {
                V1Deployment d => (d.Spec.Template, true),
                V1StatefulSet s => (s.Spec.Template, true),
                V1DaemonSet s => (s.Spec.Template, true),
                V1Job j => (j.Spec.Template, false),
                V1CronJob c => (c.Spec.JobTemplate.Spec.Template, false),
                V1Pod p => (new V1PodTemplateSpec { Metadata = p.Metadata, Spec = p.Spec }, false),
                _ => ((V1PodTemplateSpec?)null, false),
            };
            if (template.Item1 is { } t) yield return new PodTemplate(NameOf(o), t.Metadata?.Labels ?? new Dictionary<string, string>(), t.Spec, template.Item2);
        }
    }

    public static string NameOf(object o) => o is IKubernetesObject<V1ObjectMeta> k ? $"{k.Kind}/{k.Metadata?.Name}" : o.GetType().Name;

    /// <summary>A Service's or NetworkPolicy peer's plain selector: every pair present in the labels.</summary>
    public static bool Matches(IDictionary<string, string>? selector, IDictionary<string, string> labels) =>
        selector is not null && selector.All(p => labels.TryGetValue(p.Key, out var v) && v == p.Value);

    /// <summary>A label selector (matchLabels and matchExpressions); an empty one matches every pod, a missing one none.</summary>
    public static bool Matches(V1LabelSelector? selector, IDictionary<string, string> labels) =>
        selector is not null
        && (selector.MatchLabels is null || Matches(selector.MatchLabels, labels))
        && (selector.MatchExpressions ?? []).All(e => e.OperatorProperty switch
        {
            "In" => labels.TryGetValue(e.Key, out var v) && (e.Values ?? []).Contains(v),
            "NotIn" => !labels.TryGetValue(e.Key, out var v) || !(e.Values ?? []).Contains(v),
            "Exists" => labels.ContainsKey(e.Key),
            "DoesNotExist" => !labels.ContainsKey(e.Key),
            _ => false,
        });

    /// <summary>Whether a container has the port a probe, Service or NetworkPolicy names (by name or number).</summary>
    public static bool HasPort(V1Container container, IntOrString port) =>
        (container.Ports ?? []).Any(p => int.TryParse(port.Value, out var number) ? p.ContainerPort == number : p.Name == port.Value);
}
