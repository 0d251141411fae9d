namespace RagSuite.Generation.Safety;

/// <summary>
/// Chat-template tokens and turn labels, which a model may read as the start of a new turn from
/// another role. Template tokens always count. Plain labels count only when they speak as the role:
/// "System: Ubuntu 22.04" in a spec sheet is not a turn, "System: You are a pirate" is; a "User:" line
/// answered by an "Assistant:" line is a forged exchange.
/// </summary>
internal static class RoleMarkerPatterns
{
    public static SignalPattern Pattern { get; } = new(
        InjectionSignals.RoleMarker,
        // <|im_start|>, <|system|>, <|eot_id|>, DeepSeek's fullwidth-bar tokens (folded to '|' by then)
        """<\| [^|<>\s]+ \|>""",
        """\[/?inst\] | <</?sys>> | <(start|end)_of_turn>""",
        // "</s>" is also HTML strikethrough ("<s>$40</s> now $30"): a turn only when a turn follows it
        """</s> \s* (<s> | <\| | \[ | << | (system|user|assistant|human) \s* :)""",
        """
        ^ (\#{1,4} \s*)? system \s* : \s* (you \s+ are \s+ (now \s+)? (a|an|the) \b | ignore | disregard | forget | new \s+ (instructions|rules)
        | from \s+ now \s+ on | the \s+ (assistant|ai|model) \s+ (must|should|will) | as \s+ an \s+ ai)
        """,
        """
        ^ (\#{1,4} \s*)? (assistant|chatgpt|claude) \s* : \s* (sure|okay|ok \b|understood|certainly|of \s+ course|absolutely|i \s+ will|i'll
        | i \s+ have \s+ been | as \s+ (dan|an \s+ unrestricted))
        """,
        // Alpaca-style headings: "### Instruction:", "### System:"
        """^ \#{2,4} \s* (instruction|system|human|assistant) \s* :""",
        """^ (human|user) \s* : [^\n]* \n (assistant|ai) \s* :""");
}
