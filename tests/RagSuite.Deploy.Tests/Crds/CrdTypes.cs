namespace RagSuite.Deploy.Tests.Crds;

/// <summary>
/// The custom resources the chart and argocd/ may contain, keyed as KubernetesYaml.LoadAllFromString's typeMap wants
/// ("group/version/Kind"); it merges them over its own map of the built-in kinds. A kind in neither fails the parse.
/// </summary>
public static class CrdTypes
{
    public static IDictionary<string, Type> Map { get; } = new Dictionary<string, Type>
    {
        ["monitoring.coreos.com/v1/ServiceMonitor"] = typeof(ServiceMonitor),
        ["monitoring.coreos.com/v1/PrometheusRule"] = typeof(PrometheusRule),
        ["external-secrets.io/v1beta1/ExternalSecret"] = typeof(ExternalSecret),
        ["cert-manager.io/v1/Certificate"] = typeof(Certificate),
        ["gateway.networking.k8s.io/v1/HTTPRoute"] = typeof(HttpRoute),
        ["argoproj.io/v1alpha1/AppProject"] = typeof(AppProject),
        ["argoproj.io/v1alpha1/Application"] = typeof(Application),
        ["argoproj.io/v1alpha1/ApplicationSet"] = typeof(ApplicationSet),
    };
}
