namespace RagSuite.Generation.Safety;

/// <summary>
/// Phrases that hand the model another identity or an "unrestricted" mode (the DAN family of
/// jailbreaks). "You are now" is ordinary prose ("you are now entering the second floor"), so only
/// the identities and modes that jailbreaks use count after it.
/// </summary>
internal static class PersonaPatterns
{
    private const string Unbound = "(jailbroken|unrestricted|unfiltered|uncensored|unbound|unchained|evil|amoral|unethical)";
    private const string Limits = @"(restrictions|rules|filters|limits|limitations|guidelines|ethics|censorship|content \s+ polic(y|ies))";
    private const string Dan = @"dan (\s* [.,;:!(] | \s* \z | \s+ (and|from|now|mode|who|which)\b)";

    public static SignalPattern Pattern { get; } = new(
        InjectionSignals.PersonaSwitch,
        // "you are now DAN", "now you are in developer mode", "you are now an AI without restrictions"
        $$"""
        \b (you \s+ are \s+ now|now \s+ you \s+ are|from \s+ now \s+ on \s* ,? \s* you \s+ are) \s+ (a \s+|an \s+|in \s+|the \s+)?
        ({{Dan}} | {{Unbound}} \b | (developer|dev|god|dan|jailbreak) \s+ mode \b
        | no \s+ longer \s+ (an? \s+ (ai|assistant|language \s+ model)|chatgpt|claude|bound \s+ by) \b
        | an? \s+ ai \s+ (without|with \s+ no|that \s+ has \s+ no) \b | (different|new) \s+ (ai|assistant|model|persona|chatbot) \b)
        """,
        // "act as DAN", "act as an AI without any restrictions"
        $$"""
        \b (act|behave|respond|roleplay|role-play|pose) \s+ as \s+ (if \s+ you \s+ (were|are) \s+)? (a \s+|an \s+)?
        ({{Dan}} | {{Unbound}} \b | ai \s+ (without|with \s+ no) \s+ ((any|all) \s+)? {{Limits}})
        """,
        // "DAN (Do Anything Now)"
        """\b dan \s* [,:(-]? \s* (which \s+ stands \s+ for \s+|short \s+ for \s+|stands \s+ for \s+)? "? do \s+ anything \s+ now \b""",
        """\b do \s+ anything \s+ now "? \s* [(,]? \s* dan \b""",
        """\b (enable|enter|activate|switch \s+ (in)?to|turn \s+ on|engage|unlock) \s+ (dan|jailbreak|jailbroken|god|unrestricted|unfiltered|uncensored|evil) \s+ mode \b""",
        """\b (chatgpt|gpt|assistant|ai|model|claude|llm|you) \s+ with \s+ (developer|dev|dan) \s+ mode \s+ enabled \b""",
        // "pretend you have no content policy"
        $$"""
        \b pretend \s+ (that \s+)? you \s+ (have \s+ no \s+ {{Limits}} | are \s+ (not \s+ bound \b | an? \s+ {{Unbound}} \b | {{Dan}}
        | free \s+ (of|from) \s+ ((all|any) \s+)? {{Limits}}))
        """,
        """\b you ('re|\s+ are) \s+ no \s+ longer \s+ (an? \s+ (ai|assistant|language \s+ model)|chatgpt|claude|bound \s+ by \s+ (your|any|openai|anthropic)|censored|filtered) \b""",
        // German, French, Spanish, Italian
        """
        \b (du \s+ bist \s+ (jetzt|nun|ab \s+ sofort) | tu \s+ es \s+ (maintenant|desormais|a \s+ present) | (ahora|a \s+ partir \s+ de \s+ ahora) \s+ eres | ora \s+ sei) \s+
        (dan \b | im \s+ entwicklermodus | en \s+ mode \s+ developpeur | en \s+ modo \s+ desarrollador | in \s+ modalita \s+ sviluppatore
        | (un|une|una|ein|eine) \s+ (ki|ia|ai) \s+ (ohne|sans|sin|senza) \b)
        """);
}
