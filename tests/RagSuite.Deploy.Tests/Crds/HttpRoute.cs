namespace RagSuite.Deploy.Tests.Crds;

/// <summary>gateway.networking.k8s.io/v1 HTTPRoute (Gateway API): routes a Gateway listener's HTTP traffic to Services.</summary>
public sealed class HttpRoute : CustomResource<HttpRouteSpec>;

public sealed class HttpRouteSpec
{
    public List<ParentReference>? ParentRefs { get; set; }

    public List<string>? Hostnames { get; set; }

    public List<HttpRouteRule>? Rules { get; set; }
}

public sealed class ParentReference
{
    public string? Group { get; set; }

    public string? Kind { get; set; }

    public string? Namespace { get; set; }

    public string? Name { get; set; }

    public string? SectionName { get; set; }

    public int? Port { get; set; }
}

public sealed class HttpRouteRule
{
    public string? Name { get; set; }

    public List<HttpRouteMatch>? Matches { get; set; }

    public List<HttpRouteFilter>? Filters { get; set; }

    public List<HttpBackendRef>? BackendRefs { get; set; }

    public HttpRouteTimeouts? Timeouts { get; set; }
}

public sealed class HttpRouteMatch
{
    public HttpPathMatch? Path { get; set; }

    public List<HttpNameValueMatch>? Headers { get; set; }

    public List<HttpNameValueMatch>? QueryParams { get; set; }

    public string? Method { get; set; }
}

public sealed class HttpPathMatch
{
    public string? Type { get; set; }

    public string? Value { get; set; }
}

public sealed class HttpNameValueMatch
{
    public string? Type { get; set; }

    public string? Name { get; set; }

    public string? Value { get; set; }
}

public sealed class HttpRouteFilter
{
    public string? Type { get; set; }

    public HttpHeaderFilter? RequestHeaderModifier { get; set; }

    public HttpHeaderFilter? ResponseHeaderModifier { get; set; }

    public HttpUrlRewriteFilter? UrlRewrite { get; set; }
}

public sealed class HttpHeaderFilter
{
    public List<HttpHeader>? Set { get; set; }

    public List<HttpHeader>? Add { get; set; }

    public List<string>? Remove { get; set; }
}

public sealed class HttpHeader
{
    public string? Name { get; set; }

    public string? Value { get; set; }
}

public sealed class HttpUrlRewriteFilter
{
    public string? Hostname { get; set; }

    public HttpPathModifier? Path { get; set; }
}

public sealed class HttpPathModifier
{
    public string? Type { get; set; }

    public string? ReplaceFullPath { get; set; }

    public string? ReplacePrefixMatch { get; set; }
}

public sealed class HttpBackendRef
{
    public string? Group { get; set; }

    public string? Kind { get; set; }

    public string? Name { get; set; }

    public string? Namespace { get; set; }

    public int? Port { get; set; }

    public int? Weight { get; set; }

    public List<HttpRouteFilter>? Filters { get; set; }
}

/// <summary>Gateway API durations ("120s", "1m"): request is the whole exchange, backendRequest one try at a backend.</summary>
public sealed class HttpRouteTimeouts
{
    public string? Request { get; set; }

    public string? BackendRequest { get; set; }
}
