namespace RagSuite.Generation.Safety;

/// <summary>
/// Finds instruction-like content aimed at a model, in questions and in retrieved chunks. Retrieved
/// text is data, never instructions: a chunk that tries to instruct is flagged so the caller can drop
/// it or fence it, rather than trusting the model to notice. Deterministic and model-free: fixed
/// patterns (<see cref="InjectionSignals"/>) over a normalised copy of the text (<see cref="ScanText"/>),
/// each pass and each pattern linear in the text's length.
/// </summary>
/// <remarks>
/// Tuned for precision on ordinary documents: each phrase must carry what makes it aimed at a model
/// ("previous instructions", "your system prompt", a quoted payload for "the answer"), so everyday
/// look-alikes such as "make git ignore previously committed files" stay clean. A determined attacker
/// can paraphrase past any fixed list; this is one layer beside fencing sources with
/// <see cref="SourceText.Neutralise"/> and telling the model that sources are data.
/// </remarks>
public static class InjectionDetector
{
    private static readonly SignalPattern[] Patterns =
    [
        OverridePatterns.Pattern,
        OutputPatterns.Pattern,
        ExfiltrationPatterns.Pattern,
        PersonaPatterns.Pattern,
        RoleMarkerPatterns.Pattern,
    ];

    public static InjectionScan Scan(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) return InjectionScan.Clean;

        var scanText = ScanText.From(text);
        var fired = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pattern in Patterns)
            if (pattern.Fires(scanText)) fired.Add(pattern.Signal);
        if (scanText.HiddenUnicode) fired.Add(InjectionSignals.HiddenUnicode);

        return fired.Count == 0
            ? InjectionScan.Clean
            : new InjectionScan(true, [.. InjectionSignals.All.Where(fired.Contains)]);
    }
}
