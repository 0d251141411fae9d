using RagSuite.Contracts.V1;
using RagSuite.Generation.Safety;

namespace RagSuite.Generation;

/// <summary>
/// Applies a collection's injection policy to one request: <c>flag</c> reports instruction-like content and goes on;
/// <c>drop</c> also leaves flagged passages out of the prompt (a flagged question is only flagged: there is nothing to
/// drop); <c>refuse</c> answers with a refusal when the question or any passage is flagged.
/// </summary>
public static class InjectionScreen
{
    public const string Refusal = "I can't answer this: the request or the retrieved sources contain instructions aimed at the assistant.";

    public sealed record Outcome(InjectionReport Report, IReadOnlyList<(int Number, SourcePassage Passage)> Kept, bool Refuse);

    public static Outcome Apply(string question, IReadOnlyList<SourcePassage> passages, string policy, GeneratorMetrics metrics)
    {
        var report = new InjectionReport { Policy = policy, Action = "none" };
        var signals = new SortedSet<string>(StringComparer.Ordinal);
        var questionScan = InjectionDetector.Scan(question);
        if (questionScan.Detected)
        {
            report.QuestionFlagged = true;
            signals.UnionWith(questionScan.Signals);
        }
        var numbered = passages.Select((p, i) => (Number: i + 1, Passage: p)).ToList();
        foreach (var (number, passage) in numbered)
        {
            var scan = InjectionDetector.Scan(passage.Title.Length > 0 ? $"{passage.Title}\n{passage.Text}" : passage.Text);
            if (!scan.Detected) continue;
            report.FlaggedPassages.Add(number);
            signals.UnionWith(scan.Signals);
        }
        report.Signals.AddRange(signals);

        var found = report.QuestionFlagged || report.FlaggedPassages.Count > 0;
        var refuse = found && policy == "refuse";
        var kept = numbered;
        if (refuse) report.Action = "refused";
        else if (policy == "drop" && report.FlaggedPassages.Count > 0)
        {
            kept = [.. numbered.Where(p => !report.FlaggedPassages.Contains(p.Number))];
            report.Action = "dropped";
        }
        else if (found) report.Action = "flagged";

        if (report.QuestionFlagged) metrics.Injection("question", report.Action);
        foreach (var _ in report.FlaggedPassages) metrics.Injection("passage", report.Action);
        return new Outcome(report, kept, refuse);
    }
}
