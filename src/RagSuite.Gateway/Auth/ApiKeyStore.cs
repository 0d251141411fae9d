using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace RagSuite.Gateway.Auth;

/// <summary>
/// The keys now in force, read from <see cref="ApiKeyOptions.KeysFile"/>. The file is read at start-up (a missing or bad
/// file stops the gateway, naming the setting) and again by <see cref="ApiKeyFileWatcher"/>; a bad file then keeps the
/// keys in force, so a half-written Secret never locks everyone out.
/// </summary>
public sealed partial class ApiKeyStore
{
    private readonly ILogger<ApiKeyStore> _logger;
    private volatile IReadOnlyList<ApiKey> _keys = [];
    private byte[] _fileHash = [];

    public ApiKeyStore(IOptions<ApiKeyOptions> options, ILogger<ApiKeyStore> logger)
    {
        _logger = logger;
        Path = string.IsNullOrWhiteSpace(options.Value.KeysFile) ? null : options.Value.KeysFile;
        if (Path is null) return;
        try
        {
            var bytes = File.ReadAllBytes(Path);
            _keys = ApiKeyFile.Parse(bytes);
            _fileHash = SHA256.HashData(bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            throw new OptionsValidationException(ApiKeyOptions.Section, typeof(ApiKeyOptions),
                [$"{ApiKeyOptions.Section}:KeysFile '{Path}' cannot be used: {e.Message}"]);
        }
        LogLoaded(_logger, _keys.Count, Path);
    }

    /// <summary>The key file, or null when the API is open.</summary>
    public string? Path { get; }

    public bool Enabled => Path is not null;

    /// <summary>
    /// The key whose hash is the presented key's, or null. Every key's hash is compared, each in constant time, so the
    /// time taken says nothing about how near a guess came.
    /// </summary>
    public ApiKey? Find(string presented)
    {
        var hash = ApiKeyHash.Of(presented);
        ApiKey? found = null;
        foreach (var key in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, key.Hash)) found = key;
        }
        return found;
    }

    /// <summary>Reads the file again if its content changed; a file that cannot be read or used is logged once and ignored.</summary>
    public void Refresh()
    {
        if (Path is null) return;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Gone for a moment while a Secret's symlinks are swapped, or deleted: the keys in force stay.
            var marker = SHA256.HashData(Encoding.UTF8.GetBytes("unreadable:" + e.GetType().Name));
            if (!marker.AsSpan().SequenceEqual(_fileHash)) LogRejected(_logger, Path, e.Message);
            _fileHash = marker;
            return;
        }
        var hash = SHA256.HashData(bytes);
        if (hash.AsSpan().SequenceEqual(_fileHash)) return;
        _fileHash = hash;
        try
        {
            _keys = ApiKeyFile.Parse(bytes);
            LogLoaded(_logger, _keys.Count, Path);
        }
        catch (FormatException e)
        {
            LogRejected(_logger, Path, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "API keys: {Count} loaded from {Path}")]
    private static partial void LogLoaded(ILogger logger, int count, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "API keys: {Path} was not loaded, the keys in force stay: {Reason}")]
    private static partial void LogRejected(ILogger logger, string path, string reason);
}
