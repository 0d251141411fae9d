using System.Globalization;
using System.Text;

namespace RagSuite.Generation.Safety;

/// <summary>
/// The copy of a text the detector's patterns read, built in two linear passes so that common
/// obfuscations collapse onto the plain phrase: tag characters decoded to the ASCII they hide,
/// zero-width and other format characters dropped (they split words invisibly), compatibility forms
/// folded (fullwidth and mathematical letters), accents and combining marks dropped, lower case, quotes
/// and dashes unified, markdown emphasis asterisks dropped, each run of spaces made one space and each
/// run of blank space holding a line break made one '\n' (line starts still matter for turn labels).
/// </summary>
internal sealed record ScanText(string Text, bool HiddenUnicode)
{
    public static ScanText From(string text)
    {
        var (revealed, hidden) = Reveal(text);
        var decomposed = revealed.Normalize(NormalizationForm.FormKD);
        return new ScanText(Fold(decomposed), hidden);
    }

    /// <summary>Decodes tag characters (each hidden run set apart by spaces so it cannot glue onto a
    /// visible word), drops format characters, replaces lone surrogates so normalisation cannot throw,
    /// and notes whether anything was hidden.</summary>
    private static (string Text, bool Hidden) Reveal(string text)
    {
        var sb = new StringBuilder(text.Length);
        var hidden = false;
        var inTagRun = false;
        for (var i = 0; i < text.Length; i++)
        {
            var flag = UnicodeTags.FlagSequenceLength(text, i);
            if (flag > 0)
            {
                sb.Append(text, i, 2); // the flag itself; its tags are a region code, not text
                i += flag - 1;
                continue;
            }
            var tag = UnicodeTags.ValueAt(text, i);
            if (tag >= 0)
            {
                hidden = true;
                if (!inTagRun) sb.Append(' ');
                inTagRun = true;
                if (tag is >= 0x20 and < 0x7F) sb.Append((char)tag);
                i++;
                continue;
            }
            if (inTagRun) sb.Append(' ');
            inTagRun = false;

            var c = text[i];
            if (char.IsSurrogate(c))
            {
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    sb.Append(c).Append(text[++i]);
                else
                    sb.Append('\uFFFD');
                continue;
            }
            if (c is '\u202D' or '\u202E') hidden = true; // bidi overrides: shown text ≠ stored text
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format) sb.Append(c);
        }
        return (sb.ToString(), hidden);
    }

    private static string Fold(string text)
    {
        var sb = new StringBuilder(text.Length);
        var pendingSpace = false;
        var pendingBreak = false;
        foreach (var c in text)
        {
            if (IsLineBreak(c)) { pendingBreak = true; continue; }
            if (char.IsWhiteSpace(c) || char.IsControl(c)) { pendingSpace = true; continue; }
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark || c == '*') continue;

            if (pendingBreak) sb.Append('\n');
            else if (pendingSpace && sb.Length > 0) sb.Append(' ');
            pendingBreak = pendingSpace = false;
            sb.Append(Unify(char.ToLowerInvariant(c)));
        }
        return sb.ToString();
    }

    private static bool IsLineBreak(char c) => c is '\n' or '\r' or '\v' or '\f' or '\u0085' or '\u2028' or '\u2029';

    private static char Unify(char c) => c switch
    {
        '\u2018' or '\u2019' or '\u201A' or '\u201B' or '\u2032' or '`' or '\u00B4' => '\'',
        '\u201C' or '\u201D' or '\u201E' or '\u201F' or '\u2033' or '\u00AB' or '\u00BB' => '"',
        '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2015' or '\u2212' => '-',
        _ => c,
    };
}
