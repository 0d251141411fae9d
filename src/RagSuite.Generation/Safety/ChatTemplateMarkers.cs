using System.Text.RegularExpressions;

namespace RagSuite.Generation.Safety;

/// <summary>
/// Chat-template tokens (<c>&lt;|im_start|&gt;</c>, <c>[INST]</c>, <c>&lt;&lt;SYS&gt;&gt;</c>, <c>&lt;/s&gt;</c>, Gemma's
/// <c>&lt;start_of_turn&gt;</c>) made visibly harmless: each angle or square bracket of the token becomes a
/// single guillemet, so <c>&lt;|im_start|&gt;</c> reads <c>‹|im_start|›</c> and <c>[INST]</c> reads <c>‹INST›</c>.
/// The name stays legible to a reader and to the model, but no tokenizer maps it to the special
/// token, so it cannot open or close a turn.
/// </summary>
internal static class ChatTemplateMarkers
{
    private static readonly Regex Marker = new(
        @"<[|｜][^|｜<>\s]+[|｜]>|\[/?INST\]|<</?SYS>>|</?s>|<(start|end)_of_turn>",
        RegexOptions.NonBacktracking | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public static string Defang(string text, ref int changes)
    {
        var count = 0;
        var result = Marker.Replace(text, match =>
        {
            count++;
            return string.Create(match.Length, match.Value, static (span, value) =>
            {
                for (var i = 0; i < value.Length; i++)
                    span[i] = value[i] switch { '<' or '[' => '‹', '>' or ']' => '›', var c => c };
            });
        });
        changes += count;
        return result;
    }
}
