using System.Globalization;

namespace RagSuite.Gateway.Tests.Harness;

/// <summary>
/// A few hundred maintenance-log documents generated from a fixed seed, and questions about them. Generated rather than
/// read from <c>../shared</c>, which users' clones lack, so every clone loads the same corpus; the same every run, so
/// runs compare.
/// </summary>
internal static class LoadCorpus
{
    public const string Collection = "load";

    public const int Count = 300;

    private static readonly string[] Sites = ["Aberdeen", "Bilbao", "Cork", "Dundee", "Esbjerg", "Flensburg", "Gdansk", "Hull", "Izmir", "Kiel"];
    private static readonly string[] Parts = ["pump", "valve", "compressor", "turbine", "gearbox", "bearing", "heat exchanger", "filter", "seal", "impeller", "generator", "transformer"];
    private static readonly string[] Faults = ["vibration", "overheating", "corrosion", "leakage", "cavitation", "misalignment", "fatigue cracking", "pressure loss", "noise", "wear"];
    private static readonly string[] Actions = ["replaced", "realigned", "cleaned", "lubricated", "inspected", "recalibrated", "welded", "tightened", "flushed", "rebalanced"];
    private static readonly string[] Crews = ["the night shift", "the rope-access team", "the contractor", "the site engineer", "the reliability group"];

    /// <summary>Questions the corpus answers, one per hey process; each is asked the same way at every request.</summary>
    public static readonly string[] Questions =
    [
        "Why was the compressor at Bilbao overheating?",
        "Which crew replaced the seal on the Kiel gearbox?",
        "How often is the heat exchanger in Hull inspected for corrosion?",
        "What caused the vibration in the turbine bearing at Gdansk?",
    ];

    public static object[] Documents { get; } = Generate();

    private static object[] Generate()
    {
        var random = new Random(20261124);
        string Pick(string[] words) => words[random.Next(words.Length)];
        return [.. Enumerable.Range(0, Count).Select(i =>
        {
            string site = Pick(Sites), part = Pick(Parts), fault = Pick(Faults);
            var sentences = Enumerable.Range(0, random.Next(4, 9)).Select(_ =>
                $"{Capitalise(Pick(Crews))} {Pick(Actions)} the {Pick(Parts)} after {Pick(Faults)} was reported at {Pick(Sites)}, " +
                $"{random.Next(2, 48)} hours into a {random.Next(6, 30)}-hour shift; the {part} is inspected every {random.Next(1, 13)} weeks.");
            return (object)new
            {
                id = $"log-{i:D4}",
                title = $"{Capitalise(part)} {fault} at {site}",
                text = $"Report {i} from {site}: the {part} showed {fault}. " + string.Join(' ', sentences),
                metadata = new { site, part, year = 2015 + i % 10 },
            };
        })];
    }

    private static string Capitalise(string text) => char.ToUpper(text[0], CultureInfo.InvariantCulture) + text[1..];
}
