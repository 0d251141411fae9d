namespace RagSuite.Generator.Tests.Safety;

/// <summary>Writes text as Unicode tag characters, the way "ASCII smuggling" hides instructions:
/// invisible when rendered, readable by a model.</summary>
internal static class HiddenTags
{
    public static string Hide(string ascii) =>
        string.Concat(ascii.Select(c => char.ConvertFromUtf32(0xE0000 + c)));

    /// <summary>🏴󠁧󠁢󠁳󠁣󠁴󠁿: black flag, the tags "gbsct", cancel tag — the one legitimate use of tags.</summary>
    public static string ScottishFlag => "\U0001F3F4" + Hide("gbsct") + char.ConvertFromUtf32(0xE007F);
}
