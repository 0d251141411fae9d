using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace RagSuite.Gateway.Api;

/// <summary>
/// Problem bodies for the requests Kestrel refuses while parsing the request line and headers (a NUL or
/// other forbidden byte in the target, oversized or malformed headers, a missing Host, conflicting lengths).
/// Kestrel answers those itself, before any middleware runs and with no way to customise the response
/// (dotnet/aspnetcore#4726), as a bare 4xx with <c>Content-Length: 0</c> and <c>Connection: close</c>. This
/// connection middleware sits between Kestrel and the socket and gives exactly such a response a problem+json
/// body; every other byte passes through untouched. The application's own 4xx responses always carry a
/// problem body with a content type, so they never look bare.
/// </summary>
public static class KestrelRejections
{
    private static readonly byte[] ClientErrorPrefix = "HTTP/1.1 4"u8.ToArray();

    // The one 5xx HTTP prescribes for a client's mistake: a version Kestrel does not speak (HTTP/9.9).
    private static readonly byte[] VersionNotSupportedPrefix = "HTTP/1.1 505 "u8.ToArray();

    /// <summary>Installs the rewriting on an HTTP/1.1 endpoint.</summary>
    public static void Use(ListenOptions listen) => listen.Use(next => async connection =>
    {
        var transport = connection.Transport;
        var output = PipeWriter.Create(new RewritingStream(transport.Output), new StreamPipeWriterOptions(leaveOpen: true));
        try
        {
            connection.Transport = new Pipe(transport.Input, output);
            await next(connection);
        }
        finally
        {
            await output.CompleteAsync();
            connection.Transport = transport;
        }
    });

    /// <summary>The bytes to send instead of <paramref name="response"/>, or null when it is not a bare Kestrel rejection.</summary>
    public static byte[]? Rewrite(ReadOnlySpan<byte> response)
    {
        if (!response.StartsWith(ClientErrorPrefix) && !response.StartsWith(VersionNotSupportedPrefix)) return null;
        var end = response.IndexOf("\r\n\r\n"u8);
        if (end < 0 || end + 4 != response.Length) return null; // a body follows: the application wrote it
        var lines = Encoding.ASCII.GetString(response[..end]).Split("\r\n");
        var headers = lines.Skip(1).ToList();
        if (!headers.Contains("Content-Length: 0", StringComparer.OrdinalIgnoreCase)
            || !headers.Contains("Connection: close", StringComparer.OrdinalIgnoreCase)
            || headers.Any(h => h.StartsWith("Content-Type:", StringComparison.OrdinalIgnoreCase))
            || !int.TryParse(lines[0].AsSpan(9, 3), out var status))
        {
            return null;
        }
        var body = JsonSerializer.SerializeToUtf8Bytes(Problem(status));
        var rewritten = new StringBuilder().Append(lines[0]).Append("\r\n");
        foreach (var header in headers.Where(h => !h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)))
        {
            rewritten.Append(header).Append("\r\n");
        }
        rewritten.Append("Content-Type: application/problem+json\r\nContent-Length: ").Append(body.Length).Append("\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(rewritten.ToString()), .. body];
    }

    private static Dictionary<string, object> Problem(int status)
    {
        var (code, title, detail) = status switch
        {
            400 => ("bad-request", "The request could not be read",
                "The request line or headers are malformed: a byte HTTP does not allow (such as NUL) in the target or a header, a header without a name or value, a missing or repeated Host, or conflicting body lengths."),
            408 => ("request-timeout", "The request took too long", "The request headers did not arrive in time."),
            413 => ("payload-too-large", "Payload too large", "The request body is larger than this gateway accepts (RagSuite:Gateway:MaxRequestBytes)."),
            414 => ("uri-too-long", "URI too long", "The request line is longer than this gateway accepts (Kestrel:Limits:MaxRequestLineSize)."),
            505 => ("http-version-not-supported", "HTTP version not supported", "This gateway speaks HTTP/1.1 (and HTTP/1.0) on this port."),
            431 => ("request-header-fields-too-large", "Request headers too large",
                "The request headers are larger or more numerous than this gateway accepts (Kestrel:Limits:MaxRequestHeadersTotalSize, MaxRequestHeaderCount)."),
            _ => ("bad-request", "The request was refused", "The HTTP server refused the request before it reached the API."),
        };
        return new Dictionary<string, object>
        {
            ["type"] = $"https://ragsuite.dev/problems/{code}",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
            ["code"] = code,
        };
    }

    private sealed class Pipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>Writes through to the connection's own writer, rewriting a bare rejection on its way.</summary>
    private sealed class RewritingStream(PipeWriter inner) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            var rewritten = buffer.Length < 4096 ? Rewrite(buffer.Span) : null;
            await inner.WriteAsync(rewritten ?? buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override async Task FlushAsync(CancellationToken cancellationToken) => await inner.FlushAsync(cancellationToken);

        public override void Flush() => FlushAsync().GetAwaiter().GetResult();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
