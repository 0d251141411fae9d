namespace RagSuite.Gateway.Api;

/// <summary>
/// What a document id may hold beyond being non-empty text: it is read and deleted at
/// <c>/v1/collections/{name}/documents/{**id}</c>, so it must survive as a URL path. Clients, proxies and
/// Kestrel itself resolve <c>.</c> and <c>..</c> segments, collapse nothing else but treat <c>\</c> as
/// <c>/</c>, and cannot tell an empty segment from a doubled slash once routing has run. The documents API
/// reads <c>%2F</c> in a path as an escaped '/', so an id holding those three characters would name another
/// document. An id with any of these could be stored but never reached again.
/// </summary>
public static class DocumentIds
{
    public const string Rule = "cannot be read back at a URL: no '.' or '..' segment, no empty segment (leading, trailing or doubled '/'), no '\\', no '%2F'";

    public static bool RoundTripsInUrl(string id) =>
        !id.Contains('\\') && !id.Contains("%2F", StringComparison.OrdinalIgnoreCase) && id.Split('/').All(segment => segment is not ("" or "." or ".."));
}
