using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RagSuite.Core.Security;

/// <summary>
/// The mutual-TLS credentials in force, from <see cref="ServiceTlsOptions"/>: this process's certificate and key, and the
/// CAs a peer must chain to. The files are read at start-up (missing or unusable stops the host, naming the setting) and
/// again, when next needed for a handshake, once <see cref="ServiceTlsOptions.ReloadSeconds"/> have passed and their
/// contents changed. Every handshake takes the credentials current at that moment, so a renewed certificate or a new CA is
/// used by the next connection without a restart, while connections already open carry on (TLS checks certificates once,
/// at the handshake). Files that later become unusable (a half-written update) are logged and the credentials in force
/// stay, so a bad rotation never cuts the suite off.
/// </summary>
public sealed partial class ServiceTls
{
    /// <summary>TLS 1.2 and 1.3 only: both ends are RagSuite, and older versions have no place on a new link.</summary>
    public const SslProtocols Protocols = SslProtocols.Tls12 | SslProtocols.Tls13;

    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "Server Authentication");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    private readonly ServiceTlsOptions _options;
    private readonly ILogger<ServiceTls> _logger;
    private readonly FileReloadSchedule _schedule;
    private readonly RemoteCertificateValidationCallback _validateCaller;
    private readonly RemoteCertificateValidationCallback _validateService;
    private volatile Credentials? _credentials;

    public ServiceTls(IOptions<ServiceTlsOptions> options, ILogger<ServiceTls> logger, TimeProvider? time = null)
    {
        _options = options.Value;
        _logger = logger;
        _schedule = new FileReloadSchedule(_options.ReloadSeconds, time ?? TimeProvider.System);
        _validateCaller = (_, certificate, chain, errors) => Trusts(certificate, chain, errors, ClientAuthentication, "caller");
        _validateService = (sender, certificate, chain, errors) =>
            Trusts(certificate, chain, errors, ServerAuthentication, (sender as SslStream)?.TargetHostName is { Length: > 0 } host ? host : "service");
        if (!_options.Enabled) return;
        _credentials = Load(_options, out var problem) ?? throw Invalid(problem!);
        LogLoaded(_logger, _credentials.Certificate.Subject, _credentials.Certificate.NotAfter.ToUniversalTime(), Describe(_credentials.Authorities));
    }

    /// <summary>Whether mutual TLS is on: services serve their gRPC port over TLS and clients call them with it.</summary>
    public bool Enabled => _credentials is not null;

    /// <summary>
    /// What a service's gRPC listener negotiates with one new connection: the current certificate (with its intermediates),
    /// HTTP/2 by ALPN, and a client certificate required and checked against the current CAs.
    /// </summary>
    public SslServerAuthenticationOptions ServerOptions() => new()
    {
        ServerCertificateContext = Current().ServerContext,
        ClientCertificateRequired = true,
        RemoteCertificateValidationCallback = _validateCaller,
        EnabledSslProtocols = Protocols,
        // A cluster's private CA publishes no revocation lists; certificates are short-lived and renewed instead.
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        ApplicationProtocols = [SslApplicationProtocol.Http2],
    };

    /// <summary>
    /// What a gRPC client's connections negotiate: the current certificate presented when the service asks for one, and the
    /// service's certificate accepted only if it chains to the current CAs and names the host that was dialled.
    /// </summary>
    public SslClientAuthenticationOptions ClientOptions() => new()
    {
        LocalCertificateSelectionCallback = (_, _, _, _, _) => Current().Certificate,
        RemoteCertificateValidationCallback = _validateService,
        EnabledSslProtocols = Protocols,
        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
    };

    /// <summary>Why <paramref name="options"/> cannot be used, naming the setting, or null when they can (or TLS is off).</summary>
    public static string? Problem(ServiceTlsOptions options)
    {
        if (!options.Enabled) return null;
        Load(options, out var problem);
        return problem;
    }

    private Credentials Current()
    {
        var current = _credentials ?? throw new InvalidOperationException($"{ServiceTlsOptions.Section} is not enabled.");
        return _schedule.Refresh(current, inForce =>
        {
            var files = Read(_options, out var problem);
            if (files is null)
            {
                LogReloadFailed(_logger, problem!);
                return inForce;
            }
            if (files.Hash.AsSpan().SequenceEqual(inForce.Hash)) return inForce;
            var loaded = Parse(_options, files, out problem);
            if (loaded is null)
            {
                LogReloadFailed(_logger, problem!);
                return inForce;
            }
            _credentials = loaded;
            LogReloaded(_logger, loaded.Certificate.Subject, loaded.Certificate.NotAfter.ToUniversalTime(), Describe(loaded.Authorities));
            return loaded;
        });
    }

    /// <summary>
    /// Whether the peer's certificate chains to one of the current CAs (never the system's trust store) and is meant for
    /// <paramref name="purpose"/>; a service's must also name the host the client dialled, which the runtime has checked.
    /// </summary>
    private bool Trusts(X509Certificate? presented, X509Chain? received, SslPolicyErrors errors, Oid purpose, string peer)
    {
        if (presented is null)
        {
            LogRefused(_logger, peer, "(none)", "it presented no certificate");
            return false;
        }
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            LogRefused(_logger, peer, presented.Subject, $"its certificate does not name {peer}");
            return false;
        }
        using var certificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Current().Authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.ApplicationPolicy.Add(purpose);
        // Intermediates the peer sent with its certificate.
        if (received is not null) chain.ChainPolicy.ExtraStore.AddRange(received.ChainPolicy.ExtraStore);
        if (chain.Build(certificate)) return true;
        LogRefused(_logger, peer, presented.Subject,
            string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct()));
        return false;
    }

    private static Credentials? Load(ServiceTlsOptions options, out string? problem)
    {
        var files = Read(options, out problem);
        return files is null ? null : Parse(options, files, out problem);
    }

    private static Files? Read(ServiceTlsOptions options, out string? problem)
    {
        var contents = new byte[3][];
        var settings = new[] { (nameof(options.CertificateFile), options.CertificateFile), (nameof(options.KeyFile), options.KeyFile), (nameof(options.CaFile), options.CaFile) };
        for (var i = 0; i < settings.Length; i++)
        {
            var (name, path) = settings[i];
            if (string.IsNullOrWhiteSpace(path))
            {
                problem = $"{Setting(name)} must be set when {Setting(nameof(options.Enabled))} is true";
                return null;
            }
            try
            {
                contents[i] = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problem = $"{Setting(name)} '{path}' cannot be read: {e.Message}";
                return null;
            }
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var content in contents)
        {
            hash.AppendData(BitConverter.GetBytes(content.Length));
            hash.AppendData(content);
        }
        problem = null;
        return new Files(contents[0], contents[1], contents[2], hash.GetHashAndReset());
    }

    private static Credentials? Parse(ServiceTlsOptions options, Files files, out string? problem)
    {
        var certificatePem = System.Text.Encoding.UTF8.GetString(files.Certificate);
        var keyPem = System.Text.Encoding.UTF8.GetString(files.Key);
        var chain = new X509Certificate2Collection();
        var authorities = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPem(certificatePem);
            authorities.ImportFromPem(System.Text.Encoding.UTF8.GetString(files.Authorities));
        }
        catch (CryptographicException e)
        {
            problem = $"{Setting(nameof(options.CertificateFile))} or {Setting(nameof(options.CaFile))} holds a malformed PEM certificate: {e.Message}";
            return null;
        }
        if (chain.Count == 0)
        {
            problem = $"{Setting(nameof(options.CertificateFile))} '{options.CertificateFile}' holds no PEM certificate";
            return null;
        }
        if (authorities.Count == 0)
        {
            problem = $"{Setting(nameof(options.CaFile))} '{options.CaFile}' holds no PEM certificate";
            return null;
        }
        if (!HasPrivateKey(keyPem))
        {
            problem = $"{Setting(nameof(options.KeyFile))} '{options.KeyFile}' holds no unencrypted PEM private key";
            return null;
        }

        X509Certificate2 certificate;
        try
        {
            // The first certificate of the file, the one the key belongs to; the rest are its intermediates.
            certificate = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            problem = $"{Setting(nameof(options.KeyFile))} '{options.KeyFile}' is not the private key of the certificate in " +
                $"{Setting(nameof(options.CertificateFile))} '{options.CertificateFile}': {e.Message}";
            return null;
        }
        if (OperatingSystem.IsWindows())
        {
            // SChannel cannot use the ephemeral key a PEM import makes; a PKCS#12 round trip gives it a persisted one.
            using var ephemeral = certificate;
            certificate = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }
        var intermediates = new X509Certificate2Collection();
        for (var i = 1; i < chain.Count; i++) intermediates.Add(chain[i]);
        problem = null;
        // offline: the intermediates are all there is; a service never fetches certificates from the network.
        return new Credentials(certificate, SslStreamCertificateContext.Create(certificate, intermediates, offline: true), authorities, files.Hash);
    }

    private static bool HasPrivateKey(string pem)
    {
        var rest = pem.AsSpan();
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label];
            if (label.EndsWith("PRIVATE KEY", StringComparison.Ordinal) && !label.StartsWith("ENCRYPTED", StringComparison.Ordinal)) return true;
            rest = rest[fields.Location.End..];
        }
        return false;
    }

    private static string Describe(X509Certificate2Collection authorities) => string.Join(", ", authorities.Select(a => a.Subject));

    private static string Setting(string key) => $"{ServiceTlsOptions.Section}:{key}";

    private static OptionsValidationException Invalid(string reason) =>
        new(ServiceTlsOptions.Section, typeof(ServiceTlsOptions), [$"{ServiceTlsOptions.Section} is invalid: {reason}"]);

    private sealed record Files(byte[] Certificate, byte[] Key, byte[] Authorities, byte[] Hash);

    private sealed record Credentials(X509Certificate2 Certificate, SslStreamCertificateContext ServerContext, X509Certificate2Collection Authorities, byte[] Hash);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Service TLS: gRPC calls use mutual TLS with certificate {Subject} (valid until {NotAfter:u}); peers must chain to {Authorities}")]
    private static partial void LogLoaded(ILogger logger, string subject, DateTime notAfter, string authorities);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Service TLS: new files read; certificate {Subject} (valid until {NotAfter:u}), peers must chain to {Authorities}")]
    private static partial void LogReloaded(ILogger logger, string subject, DateTime notAfter, string authorities);

    [LoggerMessage(Level = LogLevel.Error, Message = "Service TLS: the files were not read again, the credentials in force stay: {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Service TLS: refused the {Peer}'s certificate {Subject}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string peer, string subject, string reason);
}
