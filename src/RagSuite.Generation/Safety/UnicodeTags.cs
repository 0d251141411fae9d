namespace RagSuite.Generation.Safety;

/// <summary>
/// Unicode tag characters (U+E0000–U+E007F). Most renderers draw nothing for them, yet each shadows an
/// ASCII character (U+E0041 is a hidden 'A'), so a model reading the tokens can read a sentence a human
/// reviewer never sees. Their one legitimate use is the emoji subdivision flag (🏴 + tags "gbsct" +
/// cancel tag = the Scottish flag); that form is recognised so flags survive and do not fire.
/// </summary>
internal static class UnicodeTags
{
    private const char HighSurrogate = '\uDB40';
    private const int CancelTag = 0x7F;

    /// <summary>The ASCII value the tag character at <paramref name="index"/> shadows (0–0x7F), or -1
    /// when no tag character starts there. Tags lie outside the BMP: one surrogate pair each.</summary>
    public static int ValueAt(string text, int index) =>
        index + 1 < text.Length && text[index] == HighSurrogate && text[index + 1] is >= '\uDC00' and <= '\uDC7F'
            ? text[index + 1] - 0xDC00
            : -1;

    /// <summary>UTF-16 length of an emoji tag sequence starting at <paramref name="index"/> (black flag,
    /// 2–7 lowercase letter or digit tags, cancel tag), or 0 when none starts there. Longer runs are not
    /// flags, which is what keeps a sentence from hiding inside one.</summary>
    public static int FlagSequenceLength(string text, int index)
    {
        if (index + 1 >= text.Length || text[index] != '\uD83C' || text[index + 1] != '\uDFF4') return 0;
        var letters = 0;
        for (var at = index + 2; letters <= 7; at += 2, letters++)
        {
            var value = ValueAt(text, at);
            if (value == CancelTag) return letters >= 2 ? at + 2 - index : 0;
            if (value is not (>= '0' and <= '9' or >= 'a' and <= 'z')) return 0;
        }
        return 0;
    }
}
