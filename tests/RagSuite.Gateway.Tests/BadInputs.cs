using System.Net.Http.Headers;
using System.Text;

namespace RagSuite.Gateway.Tests;

/// <summary>
/// One bad request: what to send (<c>$C</c> stands for a collection that exists and holds a document),
/// the status it must get, and a word the problem must contain to name what is wrong.
/// </summary>
public sealed record BadInput(string Name, string Method, string Path, Func<string, HttpContent?> Content, int Status, string Names)
{
    public HttpRequestMessage ToRequest(string collection) =>
        new(new HttpMethod(Method), Path.Replace("$C", collection, StringComparison.Ordinal)) { Content = Content(collection) };

    public override string ToString() => Name;
}

/// <summary>The table of bad inputs, one or more for every endpoint.</summary>
public static class BadInputs
{
    private static readonly byte[] InvalidUtf8 = [0xC3, 0x28, 0xFF, 0xFE];

    private static readonly BadInput[] All =
    [
        // POST /v1/collections
        Json("collection: malformed JSON", "POST", "/v1/collections", """{"name":""", 400, "JSON"),
        Json("collection: name of the wrong type", "POST", "/v1/collections", """{"name": 5}""", 400, "name"),
        Json("collection: name missing", "POST", "/v1/collections", "{}", 422, "name"),
        Json("collection: empty name", "POST", "/v1/collections", """{"name": ""}""", 422, "name"),
        Json("collection: name with spaces", "POST", "/v1/collections", """{"name": "bad name!"}""", 422, "name"),
        Json("collection: name too long", "POST", "/v1/collections", $$"""{"name": "{{new string('a', 65)}}"}""", 422, "name"),
        Json("collection: chunk size too small", "POST", "/v1/collections", """{"name": "x1", "chunking": {"max_tokens": 4}}""", 422, "max_tokens"),
        Json("collection: overlap larger than half a chunk", "POST", "/v1/collections", """{"name": "x2", "chunking": {"max_tokens": 64, "overlap_tokens": 40}}""", 422, "overlap_tokens"),
        Json("collection: negative k1", "POST", "/v1/collections", """{"name": "x3", "bm25": {"k1": -1}}""", 422, "k1"),
        Json("collection: unknown field", "POST", "/v1/collections", """{"name": "x4", "dimension": 3}""", 400, "dimension"),
        Json("collection: already exists", "POST", "/v1/collections", """{"name": "$C"}""", 409, "already exists"),
        Raw("collection: text/plain body", "POST", "/v1/collections", _ => new StringContent("name=x", Encoding.UTF8, "text/plain"), 415, "media type"),
        Json("collection: name with a trailing newline", "POST", "/v1/collections", """{"name": "docs\n"}""", 422, "name"),
        Json("collection: name with a trailing CR LF", "POST", "/v1/collections", """{"name": "docs\r\n"}""", 422, "name"),
        Json("collection: get unknown", "GET", "/v1/collections/does-not-exist", null, 404, "does-not-exist"),
        Json("collection: delete unknown", "DELETE", "/v1/collections/does-not-exist", null, 404, "does-not-exist"),
        Json("collection: get invalid name", "GET", "/v1/collections/bad%20name", null, 422, "collection name"),

        // POST /v1/collections/{name}/documents
        Json("documents: unknown collection", "POST", "/v1/collections/nope/documents", """{"documents": [{"id": "a", "text": "x"}]}""", 404, "nope"),
        Json("documents: malformed JSON", "POST", "/v1/collections/$C/documents", """{"documents": [{"id": "a",""", 400, "JSON"),
        Json("documents: not an array", "POST", "/v1/collections/$C/documents", """{"documents": "nope"}""", 400, "documents"),
        Json("documents: null body", "POST", "/v1/collections/$C/documents", "null", 400, "empty"),
        Json("documents: empty list", "POST", "/v1/collections/$C/documents", """{"documents": []}""", 422, "documents"),
        Json("documents: text missing", "POST", "/v1/collections/$C/documents", """{"documents": [{"id": "a"}]}""", 422, "text"),
        Json("documents: blank text", "POST", "/v1/collections/$C/documents", """{"documents": [{"id": "a", "text": "   "}]}""", 422, "text"),
        Json("documents: empty id", "POST", "/v1/collections/$C/documents", """{"documents": [{"id": "", "text": "x"}]}""", 422, "id"),
        Json("documents: id of the wrong type", "POST", "/v1/collections/$C/documents", """{"documents": [{"id": 7, "text": "x"}]}""", 400, "id"),
        Json("documents: duplicate ids", "POST", "/v1/collections/$C/documents", """{"documents": [{"id": "a", "text": "x"}, {"id": "a", "text": "y"}]}""", 422, "twice"),
        Json("documents: nested metadata", "POST", "/v1/collections/$C/documents", """{"documents": [{"id": "a", "text": "x", "metadata": {"k": {"n": 1}}}]}""", 422, "metadata.k"),
        Json("documents: reserved metadata key", "POST", "/v1/collections/$C/documents", """{"documents": [{"id": "a", "text": "x", "metadata": {"document_id": "z"}}]}""", 422, "reserved"),
        Json("documents: too many documents", "POST", "/v1/collections/$C/documents",
            $$"""{"documents": [{{string.Join(',', Enumerable.Range(0, 51).Select(i => $$"""{"id": "d{{i}}", "text": "x"}"""))}}]}""", 422, "limit"),
        Json("documents: document text too long", "POST", "/v1/collections/$C/documents",
            $$"""{"documents": [{"id": "big", "text": "{{new string('a', SuiteFixture.MaxDocumentChars + 1)}}"}]}""", 413, "text"),
        Json("documents: too many chunks", "POST", "/v1/collections/$C/documents",
            $$"""{"documents": [{"id": "many", "text": "{{string.Concat(Enumerable.Repeat("Word after word. ", 9000))}}"}]}""", 413, "chunks"),
        Json("documents: request body too large", "POST", "/v1/collections/$C/documents",
            $$"""{"documents": [{"id": "huge", "text": "{{new string('a', SuiteFixture.MaxRequestBytes + 1024)}}"}]}""", 413, "larger"),
        Raw("documents: invalid UTF-8 in JSON", "POST", "/v1/collections/$C/documents",
            _ => Bytes([.. "{\"documents\": [{\"id\": \"a\", \"text\": \""u8, .. InvalidUtf8, .. "\"}]}"u8], "application/json"), 400, "UTF-8"),
        Raw("documents: text/plain body", "POST", "/v1/collections/$C/documents", _ => new StringContent("hello", Encoding.UTF8, "text/plain"), 415, "multipart"),
        Raw("documents: unsupported file type", "POST", "/v1/collections/$C/documents", _ => Files(("report.pdf", "%PDF-1.7"u8.ToArray())), 415, "report.pdf"),
        Raw("documents: file that is not UTF-8", "POST", "/v1/collections/$C/documents", _ => Files(("latin1.txt", [0x63, 0x61, 0x66, 0xE9, 0x20, 0xFF])), 422, "UTF-8"),
        Raw("documents: empty file", "POST", "/v1/collections/$C/documents", _ => Files(("empty.txt", [])), 422, "no text"),
        Raw("documents: multipart without files", "POST", "/v1/collections/$C/documents",
            _ => new MultipartFormDataContent { { new StringContent("value"), "field" } }, 422, "no file"),
        Raw("documents: oversized upload", "POST", "/v1/collections/$C/documents",
            _ => Files(("big.txt", Encoding.UTF8.GetBytes(new string('b', SuiteFixture.MaxRequestBytes + 1024)))), 413, "large"),
        Json("documents: id '.'", "POST", "/v1/collections/$C/documents", """{"documents": [{"id": ".", "text": "x"}]}""", 422, "documents[0].id"),
        Json("documents: id '..'", "POST", "/v1/collections/$C/documents", """{"documents": [{"id": "..", "text": "x"}]}""", 422, "documents[0].id"),
        Json("documents: id with a '..' segment", "POST", "/v1/collections/$C/documents", """{"documents": [{"id": "a/../b", "text": "x"}]}""", 422, "segment"),
        Json("documents: id with an empty segment", "POST", "/v1/collections/$C/documents", """{"documents": [{"id": "a//b", "text": "x"}]}""", 422, "segment"),
        Json("documents: metadata number beyond a double", "POST", "/v1/collections/$C/documents",
            """{"documents": [{"id": "a", "text": "x", "metadata": {"size": 1e400}}]}""", 422, "metadata.size"),
        Json("documents: metadata list number beyond a double", "POST", "/v1/collections/$C/documents",
            """{"documents": [{"id": "a", "text": "x", "metadata": {"sizes": [1, -1e400]}}]}""", 422, "metadata.sizes"),
        Raw("documents: multipart without its closing boundary", "POST", "/v1/collections/$C/documents",
            _ => Bytes("--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\nhello\r\n"u8.ToArray(), "multipart/form-data; boundary=b"), 400, "boundary"),
        Raw("documents: multipart with a wrong closing boundary", "POST", "/v1/collections/$C/documents",
            _ => Bytes("--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\nhello\r\n--c--\r\n"u8.ToArray(), "multipart/form-data; boundary=b"), 400, "boundary"),
        Raw("documents: Markdown quoted 128 deep", "POST", "/v1/collections/$C/documents",
            _ => Files(("deep.md", Encoding.UTF8.GetBytes(new string('>', 128) + " deep\n"))), 422, "nested deeper than 128"),
        Raw("documents: Markdown lists 64 deep", "POST", "/v1/collections/$C/documents",
            _ => Files(("deep.md", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 64).Select(i => new string(' ', 2 * i) + "- item\n"))))), 422, "nested deeper than 128"),
        Raw("documents: HTML nested 100,000 deep", "POST", "/v1/collections/$C/documents",
            _ => Files(("deep.html", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("<div>", 100_000))))), 422, "deeper than 256"),
        Json("query: filter bound beyond a double", "POST", "/v1/query", """{"question": "x", "collection": "$C", "filters": {"year": {"gte": 1e400}}}""", 422, "filters.year.gte"),
        Json("documents: get unknown document", "GET", "/v1/collections/$C/documents/missing", null, 404, "missing"),
        Json("documents: delete unknown document", "DELETE", "/v1/collections/$C/documents/missing", null, 404, "missing"),
        Json("documents: delete in unknown collection", "DELETE", "/v1/collections/nope/documents/eiffel", null, 404, "nope"),

        // POST /v1/query
        Json("query: malformed JSON", "POST", "/v1/query", """{"question": "x", """, 400, "JSON"),
        Json("query: empty body", "POST", "/v1/query", "", 400, "body"),
        Json("query: null body", "POST", "/v1/query", "null", 400, "body"),
        Json("query: array body", "POST", "/v1/query", "[]", 400, "JSON"),
        Json("query: unknown field", "POST", "/v1/query", """{"question": "x", "collection": "$C", "topk": 3}""", 400, "topk"),
        Json("query: question missing", "POST", "/v1/query", """{"collection": "$C"}""", 422, "question"),
        Json("query: empty question", "POST", "/v1/query", """{"question": "", "collection": "$C"}""", 422, "question"),
        Json("query: question without words", "POST", "/v1/query", """{"question": "?!", "collection": "$C"}""", 422, "question"),
        Json("query: 1 MB question", "POST", "/v1/query", $$"""{"question": "{{new string('q', 1024 * 1024)}}", "collection": "$C"}""", 422, "question"),
        Json("query: question of the wrong type", "POST", "/v1/query", """{"question": ["x"], "collection": "$C"}""", 400, "question"),
        Raw("query: invalid UTF-8", "POST", "/v1/query", c => Bytes([.. "{\"question\": \""u8, .. InvalidUtf8, .. Encoding.UTF8.GetBytes($"\", \"collection\": \"{c}\"}}")], "application/json"), 400, "UTF-8"),
        Json("query: collection missing", "POST", "/v1/query", """{"question": "x"}""", 422, "collection"),
        Json("query: unknown collection", "POST", "/v1/query", """{"question": "x", "collection": "nope"}""", 404, "nope"),
        Json("query: invalid collection name", "POST", "/v1/query", """{"question": "x", "collection": "../etc"}""", 422, "collection"),
        Json("query: negative top_k", "POST", "/v1/query", """{"question": "x", "collection": "$C", "top_k": -1}""", 422, "top_k"),
        Json("query: zero top_k", "POST", "/v1/query", """{"question": "x", "collection": "$C", "top_k": 0}""", 422, "top_k"),
        Json("query: huge top_k", "POST", "/v1/query", """{"question": "x", "collection": "$C", "top_k": 1000000000}""", 422, "top_k"),
        Json("query: top_k beyond 64 bits", "POST", "/v1/query", """{"question": "x", "collection": "$C", "top_k": 1e40}""", 400, "top_k"),
        Json("query: top_k as a string", "POST", "/v1/query", """{"question": "x", "collection": "$C", "top_k": "5"}""", 400, "top_k"),
        Json("query: top_k fractional", "POST", "/v1/query", """{"question": "x", "collection": "$C", "top_k": 2.5}""", 400, "top_k"),
        Json("query: unknown rerank mode", "POST", "/v1/query", """{"question": "x", "collection": "$C", "rerank": "sideways"}""", 422, "rerank"),
        Json("query: cross-encoder not configured", "POST", "/v1/query", """{"question": "Eiffel", "collection": "$C", "rerank": "cross-encoder"}""", 422, "cross-encoder"),
        Json("query: unknown fusion", "POST", "/v1/query", """{"question": "x", "collection": "$C", "fusion": "magic"}""", 422, "fusion"),
        Json("query: dense fusion without a dense model", "POST", "/v1/query", """{"question": "x", "collection": "$C", "fusion": "dense"}""", 422, "dense"),
        Json("query: dense mode without a dense model", "POST", "/v1/query", """{"question": "x", "collection": "$C", "mode": "dense"}""", 422, "dense"),
        Json("query: unknown mode", "POST", "/v1/query", """{"question": "x", "collection": "$C", "mode": "semantic"}""", 422, "mode"),
        Json("query: fusion with sparse mode", "POST", "/v1/query", """{"question": "x", "collection": "$C", "mode": "sparse", "fusion": "rrf"}""", 422, "fusion"),
        Json("query: fusion contradicting hybrid", "POST", "/v1/query", """{"question": "x", "collection": "$C", "mode": "hybrid", "fusion": "dense"}""", 422, "fusion"),
        Json("query: alpha above one", "POST", "/v1/query", """{"question": "x", "collection": "$C", "alpha": 1.5}""", 422, "alpha"),
        Json("query: negative alpha", "POST", "/v1/query", """{"question": "x", "collection": "$C", "alpha": -0.1}""", 422, "alpha"),
        Json("query: alpha with dense mode", "POST", "/v1/query", """{"question": "x", "collection": "$C", "mode": "dense", "alpha": 0.5}""", 422, "alpha"),
        Json("query: alpha as a string", "POST", "/v1/query", """{"question": "x", "collection": "$C", "alpha": "0.5"}""", 400, "alpha"),
        Json("query: rrf_k zero", "POST", "/v1/query", """{"question": "x", "collection": "$C", "rrf_k": 0}""", 422, "rrf_k"),
        Json("query: rrf_k huge", "POST", "/v1/query", """{"question": "x", "collection": "$C", "rrf_k": 100000}""", 422, "rrf_k"),
        Json("query: ef zero", "POST", "/v1/query", """{"question": "x", "collection": "$C", "ef": 0}""", 422, "ef"),
        Json("query: ef huge", "POST", "/v1/query", """{"question": "x", "collection": "$C", "ef": 20000}""", 422, "ef"),
        Json("query: ef as a string", "POST", "/v1/query", """{"question": "x", "collection": "$C", "ef": "64"}""", 400, "ef"),
        Json("query: ef with sparse mode", "POST", "/v1/query", """{"question": "x", "collection": "$C", "mode": "sparse", "ef": 64}""", 422, "ef"),
        Json("query: exact with sparse mode", "POST", "/v1/query", """{"question": "x", "collection": "$C", "mode": "sparse", "exact": true}""", 422, "exact"),
        Json("query: exact as a number", "POST", "/v1/query", """{"question": "x", "collection": "$C", "exact": 1}""", 400, "exact"),
        Json("query: mmr_lambda above one", "POST", "/v1/query", """{"question": "x", "collection": "$C", "rerank": "bi-encoder", "mmr_lambda": 2}""", 422, "mmr_lambda"),
        Json("query: mmr_lambda without bi-encoder", "POST", "/v1/query", """{"question": "x", "collection": "$C", "rerank": "lexical", "mmr_lambda": 0.5}""", 422, "mmr_lambda"),
        Json("query: unknown filter operator", "POST", "/v1/query", """{"question": "x", "collection": "$C", "filters": {"year": {"between": 1}}}""", 422, "between"),
        Json("query: null filter value", "POST", "/v1/query", """{"question": "x", "collection": "$C", "filters": {"lang": null}}""", 422, "filters.lang"),
        Json("query: empty filter list", "POST", "/v1/query", """{"question": "x", "collection": "$C", "filters": {"lang": []}}""", 422, "filters.lang"),
        Json("query: $or that is not an array", "POST", "/v1/query", """{"question": "x", "collection": "$C", "filters": {"$or": {"lang": "en"}}}""", 422, "filters.$or"),
        Json("query: unknown logical operator", "POST", "/v1/query", """{"question": "x", "collection": "$C", "filters": {"$nor": [{"lang": "en"}]}}""", 422, "filters.$nor"),
        Json("query: filters nested too deep", "POST", "/v1/query", """{"question": "x", "collection": "$C", "filters": {"$not": {"$not": {"$not": {"$not": {"$not": {"a": 1}}}}}}}""", 422, "filters.$not"),
        Json("query: empty tenant", "POST", "/v1/query", """{"question": "x", "collection": "$C", "tenant": ""}""", 422, "tenant"),
        Json("query: tenant for a collection without tenants", "POST", "/v1/query", """{"question": "x", "collection": "$C", "tenant": "acme"}""", 422, "tenant"),
        Json("collection: invalid tenant key", "POST", "/v1/collections", """{"name": "tenanted", "tenant_key": "my tenant"}""", 422, "tenant_key"),
        Json("query: range on a string", "POST", "/v1/query", """{"question": "x", "collection": "$C", "filters": {"year": {"gte": "2020"}}}""", 422, "number"),
        Json("query: temperature too high", "POST", "/v1/query", """{"question": "x", "collection": "$C", "generation": {"temperature": 5}}""", 422, "temperature"),
        Json("query: top_p zero", "POST", "/v1/query", """{"question": "x", "collection": "$C", "generation": {"top_p": 0}}""", 422, "top_p"),
        Json("query: max_tokens zero", "POST", "/v1/query", """{"question": "x", "collection": "$C", "generation": {"max_tokens": 0}}""", 422, "max_tokens"),
        Json("query: empty stop sequence", "POST", "/v1/query", """{"question": "x", "collection": "$C", "generation": {"stop": [""]}}""", 422, "stop"),
        Json("query: presence penalty too high", "POST", "/v1/query", """{"question": "x", "collection": "$C", "generation": {"presence_penalty": 2.5}}""", 422, "presence_penalty"),
        Json("query: frequency penalty too low", "POST", "/v1/query", """{"question": "x", "collection": "$C", "generation": {"frequency_penalty": -3}}""", 422, "frequency_penalty"),
        Json("query: seed not an integer", "POST", "/v1/query", """{"question": "x", "collection": "$C", "generation": {"seed": 1.5}}""", 400, "seed"),
        Json("query: seed beyond 64 bits", "POST", "/v1/query", """{"question": "x", "collection": "$C", "generation": {"seed": 99999999999999999999}}""", 400, "seed"),
        Json("query: empty template", "POST", "/v1/query", """{"question": "x", "collection": "$C", "generation": {"template": ""}}""", 422, "generation.template"),
        Json("query: unknown template", "POST", "/v1/query", """{"question": "Eiffel", "collection": "$C", "generation": {"template": "nope@2"}}""", 422, "nope@2"),
        Json("query: empty route hint", "POST", "/v1/query", """{"question": "x", "collection": "$C", "generation": {"route": ""}}""", 422, "generation.route"),
        Json("query: unknown generation mode", "POST", "/v1/query", """{"question": "Eiffel", "collection": "$C", "generation": {"mode": "gpt-9"}}""", 422, "gpt-9"),
        Json("query: unknown generation mode, streamed", "POST", "/v1/query", """{"question": "Eiffel", "collection": "$C", "stream": true, "generation": {"mode": "gpt-9"}}""", 422, "gpt-9"),
        Json("query: stream of the wrong type", "POST", "/v1/query", """{"question": "x", "collection": "$C", "stream": "yes"}""", 400, "stream"),
        Json("query: GET instead of POST", "GET", "/v1/query", null, 405, "does not accept GET"),
        Json("unknown route", "GET", "/v1/nothing-here", null, 404, "no endpoint"),
    ];

    private static readonly Dictionary<string, BadInput> ByName = All.ToDictionary(b => b.Name);

    public static TheoryData<string> Cases => [.. All.Select(b => b.Name)];

    public static BadInput Get(string name) => ByName[name];

    private static BadInput Json(string name, string method, string path, string? json, int status, string names) =>
        new(name, method, path, c => json is null ? null : new StringContent(json.Replace("$C", c, StringComparison.Ordinal), Encoding.UTF8, "application/json"), status, names);

    private static BadInput Raw(string name, string method, string path, Func<string, HttpContent> content, int status, string names) =>
        new(name, method, path, content, status, names);

    private static ByteArrayContent Bytes(byte[] bytes, string mediaType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        return content;
    }

    private static MultipartFormDataContent Files(params (string Name, byte[] Content)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, content) in files) form.Add(new ByteArrayContent(content), "files", name);
        return form;
    }
}
