using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RagSuite.Core.Security;

/// <summary>
/// The service token in force, from <see cref="ServiceTokenOptions"/>. A token file is read at start-up (missing, empty or
/// too short stops the host, naming the setting) and again, when next needed, once <see cref="ServiceTokenOptions.ReloadSeconds"/>
/// have passed: polling, because a Kubernetes Secret is updated by swapping a symlink, which a file watcher does not see.
/// A file that later becomes unusable keeps the token in force, so a half-written Secret never cuts the gateway off.
/// </summary>
public sealed partial class ServiceToken
{
    private readonly ServiceTokenOptions _options;
    private readonly ILogger<ServiceToken> _logger;
    private readonly FileReloadSchedule? _schedule;
    private volatile State? _state;

    public ServiceToken(IOptions<ServiceTokenOptions> options, ILogger<ServiceToken> logger, TimeProvider? time = null)
    {
        _options = options.Value;
        _logger = logger;
        var file = string.IsNullOrWhiteSpace(_options.File) ? null : _options.File;
        var value = string.IsNullOrEmpty(_options.Value) ? null : _options.Value;
        if (file is not null && value is not null) throw Invalid("set File or Value, not both");
        if (value is not null)
        {
            _state = Validate(value) is { } reason ? throw Invalid($"Value {reason}") : new State(value);
            Source = $"{ServiceTokenOptions.Section}:Value";
        }
        else if (file is not null)
        {
            _state = Read(file, out var reason) ?? throw Invalid($"File '{file}' cannot be used: {reason}");
            Source = file;
            _schedule = new FileReloadSchedule(_options.ReloadSeconds, time ?? TimeProvider.System);
        }
    }

    /// <summary>Whether a token is configured; without one, calls between the gateway and the services are not authenticated.</summary>
    public bool Enabled => _state is not null;

    /// <summary>Where the token comes from (a file path, or the Value setting), for the start-up log; never the token.</summary>
    public string? Source { get; }

    /// <summary>The token to send, or null when none is configured.</summary>
    public string? Value => Current()?.Token;

    /// <summary>
    /// Whether <paramref name="presented"/> is the token. Hashes are compared in constant time, so neither the time taken nor
    /// the token's length tells a caller how near a guess came.
    /// </summary>
    public bool Matches(string? presented)
    {
        if (Current() is not { } state || presented is null) return false;
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), state.Hash);
    }

    private State? Current()
    {
        var state = _state;
        if (state is null || _schedule is null) return state;
        return _schedule.Refresh(state, inForce =>
        {
            var read = Read(_options.File!, out var reason);
            if (read is null)
            {
                LogReloadFailed(_logger, _options.File!, reason!);
                return inForce;
            }
            if (read.Hash.AsSpan().SequenceEqual(inForce.Hash)) return inForce;
            _state = read;
            LogReloaded(_logger, _options.File!);
            return read;
        });
    }

    private static State? Read(string file, out string? reason)
    {
        string text;
        try
        {
            text = System.IO.File.ReadAllText(file, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            reason = e.Message;
            return null;
        }
        // `echo token > file` and `kubectl create secret --from-file` leave a trailing newline that is no part of the token.
        var token = text.Trim();
        reason = Validate(token);
        return reason is null ? new State(token) : null;
    }

    private static string? Validate(string token) =>
        token.Length < ServiceTokenOptions.MinimumLength ? $"must be at least {ServiceTokenOptions.MinimumLength} characters"
        : token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) ? "must not contain spaces or control characters (it travels in a header)"
        : null;

    private static OptionsValidationException Invalid(string reason) =>
        new(ServiceTokenOptions.Section, typeof(ServiceTokenOptions), [$"{ServiceTokenOptions.Section} is invalid: {reason}"]);

    private sealed class State(string token)
    {
        public string Token { get; } = token;

        public byte[] Hash { get; } = SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Service token: a new token was read from {Path}")]
    private static partial void LogReloaded(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Service token: {Path} was not read again, the token in force stays: {Reason}")]
    private static partial void LogReloadFailed(ILogger logger, string path, string reason);
}
