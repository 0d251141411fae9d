using System.Net.Http.Headers;
using System.Text;

namespace RagSuite.Gateway.Tests;

/// <summary>
/// One hostile request: either an <see cref="HttpRequestMessage"/> or, for what HttpClient refuses to send
/// (a NUL in the path, oversized headers, broken framing), raw bytes for a socket. <c>$C</c> in either stands
/// for a collection that exists and holds a document. <see cref="Bare"/> marks what Kestrel refuses while
/// parsing the request line and headers, before any middleware runs: its problem body comes from the
/// connection-level <c>KestrelRejections</c>, not from the API. <see cref="MayBeAccepted"/> marks input that
/// may be read as harmless rather than refused.
/// </summary>
public sealed record HostileInput(string Name, Func<string, HttpRequestMessage>? Http, Func<string, byte[]>? Raw, bool Bare = false, bool MayBeAccepted = false)
{
    /// <summary>Send less body than declared, then close the sending side: the server must not wait for the rest.</summary>
    public bool HalfClose { get; init; }

    /// <summary>
    /// The one status a case must get where a 4xx would be wrong: HTTP prescribes 505 for a version the server
    /// does not speak, though the client sent it.
    /// </summary>
    public int? Status { get; init; }

    public override string ToString() => Name;
}

/// <summary>
/// The table behind <see cref="HostileInputTests"/>: every endpoint crossed with broken and deeply nested
/// JSON, wrong content types, invalid UTF-8, traversal in names and ids, deep Markdown and HTML, bad
/// multipart, oversized bodies and headers, and broken HTTP framing.
/// </summary>
public static class HostileInputs
{
    private const string Boundary = "hostile-boundary";

    private static readonly (string Name, string Method, string Path)[] JsonEndpoints =
    [
        ("collections", "POST", "/v1/collections"),
        ("documents", "POST", "/v1/collections/$C/documents"),
        ("query", "POST", "/v1/query"),
        ("chat", "POST", "/v1/chat/completions"),
    ];

    private static readonly (string Name, string Json)[] BrokenJson =
    [
        ("open brace", "{"),
        ("close brace", "}"),
        ("open bracket", "["),
        ("unterminated string", """{"name": "x"""),
        ("missing value", """{"name": }"""),
        ("trailing comma", """{"name": "x",}"""),
        ("single quotes", "{'name': 'x'}"),
        ("bare word", "nul"),
        ("trailing data", """{"name": "x"}}"""),
        ("bad escape", """{"name": "\u12"}"""),
        ("missing comma", """{"name": "x" "y": 1}"""),
        ("NaN literal", """{"name": NaN}"""),
        ("Infinity literal", """{"name": Infinity}"""),
        ("leading zero", """{"top_k": 01}"""),
        ("comment", "/* hi */ {}"),
        ("deep arrays", new string('[', 10_000) + new string(']', 10_000)),
        ("deep objects", string.Concat(Enumerable.Repeat("""{"a":""", 5_000)) + "1" + new string('}', 5_000)),
        ("deep unclosed arrays", new string('[', 100_000)),
        ("number as body", "12345"),
        ("string as body", "\"hello\""),
        ("empty body", ""),
        ("whitespace body", "   \n\t "),
        ("NUL in JSON", "{\"name\": \"a\u0000b\"}"),
        ("lone surrogate escape", """{"name": "\ud800", "question": "\ud800", "documents": [], "messages": [{"role": "user", "content": "\udfff"}]}"""),
    ];

    private static readonly string[] WrongContentTypes =
    [
        "text/plain", "application/xml", "text/html", "application/octet-stream", "image/png", "application/x-www-form-urlencoded", "garbage",
    ];

    private static readonly (string Name, byte[] Bytes)[] InvalidUtf8 =
    [
        ("overlong slash", [0xC0, 0xAF]),
        ("lone continuation", [0x80]),
        ("encoded surrogate", [0xED, 0xA0, 0x80]),
        ("truncated sequence", [0xE2, 0x82]),
        ("0xFF", [0xFF, 0xFE]),
    ];

    private static readonly string[] BadCollectionNames =
    [
        "docs\n", "docs\r\n", "docs\t", " docs", "docs ", "../x", "..", ".", ".hidden", "-x", "_x", "a/b", "a\\b", "%2e%2e", "..%2f..%2fetc",
        "a\u0000b", "ä", "docs\u200b", new string('a', 65), "",
    ];

    private static readonly string[] BadDocumentIds =
    [
        ".", "..", "../x", "a/../b", "a/./b", "/a", "a/", "a//b", "a\\b", "x/..", "a%2Fb", "a%2fb", "a\nb", "a\u0000b", " ", new string('i', 257),
    ];

    private static readonly string[] BadIdPaths = ["%2e%2e", "..%2f..%2fetc", "%00", "a%00b", "%2e", "%2F", "..%5C..%5Cx"];

    private static readonly (string Name, string Text)[] DeepMarkdown =
    [
        ("128 quotes", new string('>', 128) + " deep\n"),
        ("2000 quotes", new string('>', 2000) + " deep\n"),
        ("64 list levels", string.Concat(Enumerable.Range(0, 64).Select(i => new string(' ', 2 * i) + "- item\n"))),
        ("200 list levels", string.Concat(Enumerable.Range(0, 200).Select(i => new string(' ', 2 * i) + "- item\n"))),
        ("quotes and lists", string.Concat(Enumerable.Repeat("> - ", 100)) + "x\n"),
        ("deep HTML in Markdown", "Intro.\n\n" + string.Concat(Enumerable.Repeat("<div>", 5_000)) + "x\n"),
    ];

    private static readonly (string Name, string Html)[] DeepHtml =
    [
        ("100,000 nested divs", string.Concat(Enumerable.Repeat("<div>", 100_000)) + "x"),
        ("50,000 nested bold", "<p>" + string.Concat(Enumerable.Repeat("<b>", 50_000)) + "x"),
        ("1,000 nested tables", string.Concat(Enumerable.Repeat("<table><tr><td>", 1_000)) + "x"),
        ("20,000 nested spans closed", string.Concat(Enumerable.Repeat("<span>", 20_000)) + "x" + string.Concat(Enumerable.Repeat("</span>", 20_000))),
        ("300 nested lists", string.Concat(Enumerable.Repeat("<ul><li>", 300)) + "x"),
        ("nested anchors", string.Concat(Enumerable.Repeat("<a href=x><div>", 10_000)) + "x"),
    ];

    private static readonly (string Name, string Body)[] BadMultipart =
    [
        ("closing boundary missing", $"--{Boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\nhello\r\n"),
        ("closing boundary wrong", $"--{Boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\nhello\r\n--other--\r\n"),
        ("body cut inside headers", $"--{Boundary}\r\nContent-Disposition: form-da"),
        ("boundary never appears", "just some text\r\n"),
        ("empty body", ""),
        ("only the closing boundary", $"--{Boundary}--\r\n"),
        ("part without headers", $"--{Boundary}\r\n\r\nhello\r\n--{Boundary}--\r\n"),
        ("file part without a name", $"--{Boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"\"\r\n\r\nhello\r\n--{Boundary}--\r\n"),
        ("header line too long", $"--{Boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\nX-Long: {new string('x', 20_000)}\r\n\r\nhello\r\n--{Boundary}--\r\n"),
        ("too many parts", string.Concat(Enumerable.Range(0, 1_100).Select(i => $"--{Boundary}\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\nv\r\n")) + $"--{Boundary}--\r\n"),
        ("traversal file name", $"--{Boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"../../etc/passwd\"\r\n\r\nroot\r\n--{Boundary}--\r\n"),
        ("file named dot-dot", $"--{Boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"..\"\r\n\r\nroot\r\n--{Boundary}--\r\n"),
        ("file named with NUL", $"--{Boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a\u0000.txt\"\r\n\r\nhello\r\n--{Boundary}--\r\n"),
    ];

    public static readonly HostileInput[] All = [.. Build()];

    public static TheoryData<string> Cases => [.. All.Select(c => c.Name)];

    private static readonly Dictionary<string, HostileInput> ByName = All.ToDictionary(c => c.Name);

    public static HostileInput Get(string name) => ByName[name];

    private static IEnumerable<HostileInput> Build()
    {
        foreach (var (endpoint, method, path) in JsonEndpoints)
        {
            foreach (var (name, json) in BrokenJson) yield return Http($"{endpoint}: {name}", method, path, _ => Text(json, "application/json"));
            foreach (var type in WrongContentTypes) yield return Http($"{endpoint}: content type {type}", method, path, _ => Text("{}", type));
            yield return Http($"{endpoint}: no content type", method, path, _ => new ByteArrayContent("{}"u8.ToArray()));
            yield return Http($"{endpoint}: JSON declared as latin1", method, path, _ => Bytes([.. "{\"name\": \"caf"u8, 0xE9, .. "\"}"u8], "application/json; charset=iso-8859-1"));
            foreach (var (name, bytes) in InvalidUtf8)
            {
                yield return Http($"{endpoint}: invalid UTF-8 ({name})", method, path,
                    _ => Bytes([.. "{\"name\": \"x"u8, .. bytes, .. "\", \"question\": \"q"u8, .. bytes, .. "\"}"u8], "application/json"));
            }
            yield return Http($"{endpoint}: 3 MB body", method, path, _ => Text($$"""{"name": "{{new string('a', 3 * 1024 * 1024)}}"}""", "application/json"));
            yield return Http($"{endpoint}: PUT", "PUT", path, _ => Text("{}", "application/json"));
            yield return Http($"{endpoint}: PATCH", "PATCH", path, _ => Text("{}", "application/json"));
            yield return Socket($"{endpoint}: broken chunked framing", $"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{{}}\r\n0\r\n\r\n");
            yield return Socket($"{endpoint}: chunk larger than sent", $"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\n{{}}\r\n0\r\n\r\n");
            yield return Socket($"{endpoint}: chunk size overflow", $"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nFFFFFFFFFFFFFFFFFF\r\n{{}}\r\n0\r\n\r\n");
            yield return Socket($"{endpoint}: Content-Length and chunked", $"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n2\r\n{{}}\r\n0\r\n\r\n", mayBeAccepted: true);
            yield return Socket($"{endpoint}: two Content-Lengths", $"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{{}}", bare: true);
            yield return Socket($"{endpoint}: negative Content-Length", $"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -2\r\nConnection: close\r\n\r\n{{}}", bare: true);
            yield return Socket($"{endpoint}: Content-Length beyond 64 bits", $"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99999999999999999999999\r\nConnection: close\r\n\r\n{{}}", bare: true);
            yield return Socket($"{endpoint}: Content-Length over the limit", $"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\nConnection: close\r\n\r\n{{}}");
            yield return Socket($"{endpoint}: unknown transfer coding", $"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip\r\nConnection: close\r\n\r\n{{}}", bare: true);
            yield return Socket($"{endpoint}: body cut short", $"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{{\"name\"", halfClose: true);
        }

        foreach (var name in BadCollectionNames)
        {
            var shown = Show(name);
            yield return Http($"collection name {shown}: create", "POST", "/v1/collections", _ => Json(new { name }));
            yield return Http($"collection name {shown}: query", "POST", "/v1/query", _ => Json(new { question = "Eiffel", collection = name }));
            yield return Http($"collection name {shown}: chat", "POST", "/v1/chat/completions", _ => Json(new { model = $"rag:{name}", messages = new[] { new { role = "user", content = "Eiffel" } } }));
            if (name.Length > 0)
            {
                var segment = Uri.EscapeDataString(name);
                var nul = name.Contains('\0');
                yield return Http($"collection name {shown}: read", "GET", $"/v1/collections/{segment}", _ => null, bare: nul, mayBeAccepted: name == ".");
                yield return Http($"collection name {shown}: delete", "DELETE", $"/v1/collections/{segment}", _ => null, bare: nul);
                yield return Http($"collection name {shown}: ingest", "POST", $"/v1/collections/{segment}/documents", _ => Json(new { documents = new[] { new { id = "a", text = "x" } } }), bare: nul);
            }
        }
        foreach (var path in new[] { "%2e%2e", "..%2f..%2fetc", "%2e", "a%00b", "%2e%2e%2f%2e%2e%2fetc%2fpasswd" })
        {
            yield return Http($"collection path {path}: read", "GET", $"/v1/collections/{path}", _ => null, bare: path.Contains("%00"), mayBeAccepted: path == "%2e");
            yield return Http($"collection path {path}: ingest", "POST", $"/v1/collections/{path}/documents", _ => Json(new { documents = new[] { new { id = "a", text = "x" } } }), bare: path.Contains("%00"));
        }

        foreach (var id in BadDocumentIds)
        {
            yield return Http($"document id {Show(id)}: ingest", "POST", "/v1/collections/$C/documents", _ => Json(new { documents = new[] { new { id, text = "Some text." } } }));
        }
        foreach (var path in BadIdPaths)
        {
            // System.Uri resolves %2e%2e before HttpClient sends it, so the gateway sees a request for the collection
            // itself; the socket cases below send the dots as written and must be refused.
            var dots = path.StartsWith("%2e", StringComparison.Ordinal);
            var nul = path.Contains("%00", StringComparison.Ordinal);
            yield return Http($"document path {path}: read", "GET", $"/v1/collections/$C/documents/{path}", _ => null, bare: nul, mayBeAccepted: dots);
            yield return Http($"document path {path}: delete", "DELETE", $"/v1/collections/$C/documents/{path}", _ => null, bare: nul, mayBeAccepted: dots);
        }

        foreach (var number in new[] { "1e400", "-1e400", "1e309", "123456789e999" })
        {
            yield return Http($"metadata number {number}", "POST", "/v1/collections/$C/documents",
                _ => Text($$$"""{"documents": [{"id": "n", "text": "Numbers.", "metadata": {"size": {{{number}}}}}]}""", "application/json"));
            yield return Http($"metadata list number {number}", "POST", "/v1/collections/$C/documents",
                _ => Text($$$"""{"documents": [{"id": "n", "text": "Numbers.", "metadata": {"sizes": [1, {{{number}}}]}}]}""", "application/json"));
        }
        yield return Http("filter number 1e400", "POST", "/v1/query", c => Text("{\"question\": \"x\", \"collection\": \"" + c + "\", \"filters\": {\"year\": {\"gte\": 1e400}}}", "application/json"));
        yield return Http("filters nested 10,000 deep", "POST", "/v1/query",
            c => Text("{\"question\": \"x\", \"collection\": \"" + c + "\", \"filters\": " + string.Concat(Enumerable.Repeat("{\"$not\": ", 10_000)) + "{\"a\": 1}" + new string('}', 10_001), "application/json"));

        foreach (var (name, text) in DeepMarkdown) yield return Http($"markdown: {name}", "POST", "/v1/collections/$C/documents", _ => Files(("deep.md", text)));
        foreach (var (name, html) in DeepHtml) yield return Http($"html: {name}", "POST", "/v1/collections/$C/documents", _ => Files(("deep.html", html)));
        foreach (var (name, body) in BadMultipart)
        {
            yield return Http($"multipart: {name}", "POST", "/v1/collections/$C/documents", _ => Bytes(Encoding.UTF8.GetBytes(body), $"multipart/form-data; boundary={Boundary}"),
                mayBeAccepted: name is "traversal file name");
        }
        yield return Http("multipart: no boundary parameter", "POST", "/v1/collections/$C/documents", _ => Text("--x\r\n", "multipart/form-data"));
        yield return Http("multipart: boundary too long", "POST", "/v1/collections/$C/documents", _ => Text("--x\r\n", $"multipart/form-data; boundary={new string('b', 200)}"));
        yield return Socket("multipart: body cut short", $"POST /v1/collections/$C/documents HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary={Boundary}\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n--{Boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\nhel", halfClose: true);

        yield return Http("chat: messages not an array", "POST", "/v1/chat/completions", c => Json(new { model = $"rag:{c}", messages = "hi" }));
        yield return Http("chat: no messages", "POST", "/v1/chat/completions", c => Json(new { model = $"rag:{c}", messages = Array.Empty<object>() }));
        yield return Http("chat: unknown role", "POST", "/v1/chat/completions", c => Json(new { model = $"rag:{c}", messages = new[] { new { role = "wizard", content = "hi" } } }));
        yield return Http("chat: content of the wrong type", "POST", "/v1/chat/completions", c => Json(new { model = $"rag:{c}", messages = new[] { new { role = "user", content = 5 } } }));
        yield return Http("chat: model missing", "POST", "/v1/chat/completions", _ => Json(new { messages = new[] { new { role = "user", content = "hi" } } }));
        yield return Http("chat: n of 1000", "POST", "/v1/chat/completions", c => Json(new { model = $"rag:{c}", n = 1000, messages = new[] { new { role = "user", content = "Eiffel" } } }));
        yield return Http("chat: temperature 1e400", "POST", "/v1/chat/completions",
            c => Text($$"""{"model": "rag:{{c}}", "temperature": 1e400, "messages": [{"role": "user", "content": "Eiffel"}]}""", "application/json"));

        yield return Http("models: POST", "POST", "/v1/models", _ => Text("{}", "application/json"));
        yield return Http("models: DELETE", "DELETE", "/v1/models", _ => null);
        yield return Http("models: unknown model", "GET", "/v1/models/nope-nope", _ => null);
        yield return Http("models: traversal", "GET", "/v1/models/..%2f..%2fetc", _ => null);
        yield return Http("models: NUL", "GET", "/v1/models/a%00b", _ => null, bare: true);

        yield return Socket("NUL in the path", "GET /v1/models\0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", bare: true);
        yield return Socket("oversized header", $"GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: {new string('h', 40_000)}\r\nConnection: close\r\n\r\n", bare: true);
        yield return Socket("too many headers", $"GET /v1/models HTTP/1.1\r\nHost: x\r\n{string.Concat(Enumerable.Range(0, 150).Select(i => $"X-H{i}: v\r\n"))}Connection: close\r\n\r\n", bare: true);
        yield return Socket("oversized request line", $"GET /v1/models/{new string('m', 10_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", bare: true);
        yield return Socket("missing Host", "GET /v1/models HTTP/1.1\r\nConnection: close\r\n\r\n", bare: true);
        yield return Socket("two Hosts", "GET /v1/models HTTP/1.1\r\nHost: x\r\nHost: y\r\nConnection: close\r\n\r\n", bare: true);
        yield return Socket("header without a colon", "GET /v1/models HTTP/1.1\r\nHost: x\r\nBroken header\r\nConnection: close\r\n\r\n", bare: true);
        yield return Socket("space before the colon", "GET /v1/models HTTP/1.1\r\nHost: x\r\nX-A : b\r\nConnection: close\r\n\r\n", bare: true);
        yield return Socket("control character in a header", "GET /v1/models HTTP/1.1\r\nHost: x\r\nX-A: b\u0001c\r\nConnection: close\r\n\r\n", bare: true, mayBeAccepted: true);
        yield return Socket("HTTP version 9.9", "GET /v1/models HTTP/9.9\r\nHost: x\r\nConnection: close\r\n\r\n", bare: true) with { Status = 505 };
        yield return Socket("garbage request line", "HELLO THERE\r\n\r\n", bare: true);
        yield return Socket("method with a slash", "GE/T /v1/models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", bare: true);
        yield return Socket("relative target", "GET v1/models HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", bare: true);
        yield return Socket("NUL in the query", "GET /v1/models?a=\0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", bare: true);
        yield return Socket("raw traversal path", "GET /v1/collections/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        yield return Socket("encoded dot-dot deleting a document", "DELETE /v1/collections/$C/documents/%2e%2e HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        yield return Socket("mixed-case encoded dot", "GET /v1/collections/$C/documents/%2E HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        yield return Socket("encoded traversal path", "GET /v1/collections/%2e%2e/%2e%2e/etc HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        yield return Socket("POST without length", "POST /v1/query HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n");
    }

    private static string Show(string value) =>
        value.Length > 24 ? $"'{value[..8]}…' ({value.Length} chars)" : $"'{string.Concat(value.Select(c => char.IsControl(c) || c > 127 ? $"\\u{(int)c:x4}" : c.ToString()))}'";

    private static HostileInput Http(string name, string method, string path, Func<string, HttpContent?> content, bool bare = false, bool mayBeAccepted = false) =>
        new(name, c => new HttpRequestMessage(new HttpMethod(method), path.Replace("$C", c, StringComparison.Ordinal)) { Content = content(c) }, null, bare, mayBeAccepted);

    private static HostileInput Socket(string name, string request, bool bare = false, bool mayBeAccepted = false, bool halfClose = false) =>
        new(name, null, c => Encoding.UTF8.GetBytes(request.Replace("$C", c, StringComparison.Ordinal)), bare, mayBeAccepted) { HalfClose = halfClose };

    private static StringContent Json(object value) => new(System.Text.Json.JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    private static ByteArrayContent Text(string text, string mediaType) => Bytes(Encoding.UTF8.GetBytes(text), mediaType);

    private static ByteArrayContent Bytes(byte[] bytes, string mediaType)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.TryAddWithoutValidation("Content-Type", mediaType);
        return content;
    }

    private static MultipartFormDataContent Files(params (string Name, string Content)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (name, content) in files) form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(content)), "files", name);
        return form;
    }
}
