namespace RagSuite.Core.Errors;

/// <summary>Collects field errors while a request is checked, then throws them all at once.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsEmpty => _errors.Count == 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        list.Add(message);
    }

    /// <summary>Adds <paramref name="message"/> for <paramref name="field"/> when <paramref name="failed"/> holds.</summary>
    public void AddIf(bool failed, string field, string message)
    {
        if (failed) Add(field, message);
    }

    public void ThrowIfAny(ErrorKind kind = ErrorKind.Validation)
    {
        if (IsEmpty) return;
        var fields = _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
        var summary = string.Join("; ", fields.SelectMany(f => f.Value.Select(m => $"{f.Key}: {m}")));
        throw new RagSuiteException(kind, summary, fields);
    }
}
