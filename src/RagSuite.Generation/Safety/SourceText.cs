using System.Text;

namespace RagSuite.Generation.Safety;

/// <summary>
/// Makes retrieved text safe to place inside a delimited source block (<c>⟦…⟧</c>): nothing in it can
/// close or forge the block, open a chat turn, or carry characters a human reviewer cannot see.
/// <list type="bullet">
/// <item>Removed: C0/C1 control characters except \t \n \r; Unicode tag characters; bidi embeddings,
/// overrides and isolates (U+202A–U+202E, U+2066–U+2069); zero-width U+200B, U+2060, U+FEFF, and the
/// joiners U+200C/U+200D where they stand next to ASCII (where they split a word invisibly).</item>
/// <item>Kept, because ordinary text needs them: an emoji flag's tag sequence (🏴 + region tags +
/// cancel tag), and a joiner between two non-ASCII characters (emoji ZWJ sequences such as 👩‍💻,
/// Persian and Indic orthography).</item>
/// <item>Replaced: chat-template tokens, defanged by <see cref="ChatTemplateMarkers"/>; the source
/// block's brackets ⟦ (U+27E6) and ⟧ (U+27E7), by [ and ].</item>
/// </list>
/// Each removal or replacement counts one change; a defanged token counts one.
/// </summary>
public static class SourceText
{
    public const char BlockOpen = '⟦';
    public const char BlockClose = '⟧';

    public static NeutralisedText Neutralise(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var changes = 0;
        var cleaned = StripCharacters(text, ref changes);
        var defanged = ChatTemplateMarkers.Defang(cleaned, ref changes);
        return changes == 0 ? new NeutralisedText(text, 0) : new NeutralisedText(defanged, changes);
    }

    private static string StripCharacters(string text, ref int changes)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var flag = UnicodeTags.FlagSequenceLength(text, i);
            if (flag > 0)
            {
                sb.Append(text, i, flag);
                i += flag - 1;
                continue;
            }
            if (UnicodeTags.ValueAt(text, i) >= 0)
            {
                changes++;
                i++; // a tag is a surrogate pair
                continue;
            }

            if (IsRemoved(text, i))
            {
                changes++;
                continue;
            }
            var c = text[i];
            if (c is BlockOpen or BlockClose) changes++;
            sb.Append(c switch { BlockOpen => '[', BlockClose => ']', _ => c });
        }
        return sb.ToString();
    }

    private static bool IsRemoved(string text, int i) => text[i] switch
    {
        '\t' or '\n' or '\r' => false,
        '\u200C' or '\u200D' => !JoinsNonAscii(text, i),
        '\u200B' or '\u2060' or '\uFEFF' => true,
        >= '\u202A' and <= '\u202E' => true,
        >= '\u2066' and <= '\u2069' => true,
        var c => char.IsControl(c),
    };

    private static bool JoinsNonAscii(string text, int i) =>
        i > 0 && i + 1 < text.Length && IsNonAsciiGlyph(text[i - 1]) && IsNonAsciiGlyph(text[i + 1]);

    private static bool IsNonAsciiGlyph(char c) => c > '\u007F' && !char.IsWhiteSpace(c) && !char.IsControl(c);
}
