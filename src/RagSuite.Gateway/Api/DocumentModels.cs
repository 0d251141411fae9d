using System.Text.Json;

namespace RagSuite.Gateway.Api;

/// <summary>Body of <c>POST /v1/collections/{name}/documents</c> as JSON.</summary>
public sealed record DocumentsBody(List<DocumentBody>? Documents);

/// <summary>One document. Metadata values are strings, numbers, booleans or arrays of them.</summary>
public sealed record DocumentBody(string? Id, string? Text, string? Title = null, string? Source = null, Dictionary<string, JsonElement>? Metadata = null);

public sealed record IngestResponse(
    string Collection,
    int Created,
    int Updated,
    int Unchanged,
    int Chunks,
    IReadOnlyList<DocumentResultView> Documents,
    IReadOnlyList<string>? Warnings = null);

/// <summary>What happened to one document: <c>created</c>, <c>updated</c> or <c>unchanged</c>.</summary>
public sealed record DocumentResultView(string Id, string Status, int Chunks);

public sealed record DocumentView(string Id, string ContentHash, int Chunks);
