namespace RagSuite.Generation.Safety;

/// <summary>
/// Phrases that cancel or replace the instructions a model was given. A bare "ignore" or "forget" is
/// everyday English ("git ignore", "forget the network"), so each phrase needs what makes it aimed at a
/// model: something earlier being set aside ("previous", "above", "your") and a word for instructions.
/// </summary>
internal static class OverridePatterns
{
    private const string Verb = """
        (ignore|disregard|forget|overlook|neglect|discard|set \s+ aside|throw \s+ out|pay \s+ no \s+ attention \s+ to
        |(do \s+ not|don't|stop|no \s+ longer) \s+ (follow|obey|following|obeying))
        """;
    private const string Filler = "(all|any|every|each|of|the|your|my|these|those|other|and|or|whatever|given|stated|provided|previously)";
    private const string Prior = "(previous|prior|preceding|foregoing|above|earlier|former|original|initial|system|developer)";
    private const string Noun = """
        (instructions?|prompts?|rules|directions|directives?|guidelines|guidance|commands|context|constraints
        |programming|guardrails|restrictions)
        """;

    public static SignalPattern Pattern { get; } = new(
        InjectionSignals.InstructionOverride,
        // "ignore all previous instructions", "disregard the prior rules", "do not follow the above directions"
        $$"""\b {{Verb}} (\s+ {{Filler}})* \s+ {{Prior}} (\s+ ({{Filler}}|{{Prior}}))* \s+ {{Noun}} \b""",
        // "ignore all the instructions you were given", "disregard any rules provided above"
        $$"""
        \b {{Verb}} (\s+ {{Filler}})* \s+ {{Noun}} \s+ (you ('ve|\s+ have|\s+ were|\s+ had) \s+ (been \s+)? (given|received|told|provided)
        | (given|provided) \s+ (to \s+ you|above|earlier|before|previously) | above | so \s+ far | until \s+ now) \b
        """,
        // "forget your rules", "override your instructions"
        $$"""\b ({{Verb}}|override|bypass) \s+ (all \s+ (of \s+)?)? your \s+ (({{Prior}}|safety|core|own) \s+)* ({{Noun}}|system \s+ prompt) \b""",
        // "ignore the above.", "forget everything above", "forget what you were told before." — but not
        // "ignore the above warning": what follows "above" must end the clause or name the text itself
        $$"""
        \b (ignore|disregard|forget) \s+ (about \s+)? ((all|everything|anything|what) \s+ (of \s+)?)? (the \s+)?
        ((that \s+)? (you ('ve|\s+ were|\s+ have \s+ been|\s+ had \s+ been) \s+ (told|given|instructed) | i \s+ (said|told \s+ you)
          | (was|has \s+ been) \s+ (said|written|stated) | said|written|stated) \s+)?
        (above|foregoing|preceding|before \s+ this|before|previously|so \s+ far|until \s+ now|up \s+ to \s+ (now|this \s+ point))
        ({{SignalPattern.ClauseEnd}} | \s+ (text|content|instructions?|prompt|input|context) \b)
        """,
        // "New instructions:", "your new instructions are" — a heading that replaces the task
        """\b (new|real|actual|true|secret|hidden) \s+ (system \s+)? (instructions|directives|prompt) \s* :""",
        """\b (your \s+ new \s+ (instructions|directives) \s+ (are|is) | here \s+ are \s+ your \s+ new \s+ (instructions|directives|orders)) \b""",
        """\b from \s+ now \s+ on \s* ,? \s* you \s+ (will|must|shall|should|are \s+ to|are \s+ going \s+ to) \s+ ((only|always|never) \s+)? (respond|reply|output|act \s+ as|pretend|behave \s+ as|ignore|obey|disregard) \b""",
        // French, German, Spanish, Italian, Portuguese (accents are folded before matching)
        """\b (ignore[rz]?|oublie[rz]?|neglige[rz]?) \s+ (toutes? \s+)? (les|tes|vos|ces) \s+ (instructions|consignes|directives|regles|indications) \s+ (precedentes|anterieures|ci-dessus|donnees|initiales)""",
        """\b (ignore[rz]?|oublie[rz]?) \s+ tout \s+ ce \s+ qui \s+ (precede|a \s+ ete \s+ dit)""",
        """
        \b (ignoriere|ignorieren \s+ sie|vergiss|vergessen \s+ sie|missachte|missachten \s+ sie) \s+ (bitte \s+)? (alle \s+)?
        (deine \s+|ihre \s+|die \s+|samtliche \s+)?
        (vorherigen|vorigen|bisherigen|vorangegangenen|vorhergehenden|obigen|fruheren|ursprunglichen) \s+
        (anweisungen|instruktionen|befehle|regeln|anordnungen|vorgaben)
        """,
        """\b (vergiss|vergessen \s+ sie|ignoriere) \s+ alles \s* ,? \s+ (was \s+ (vorher|davor|oben|bisher) \s+ (gesagt|stand|steht|geschrieben)|davor|vorher|oben|bisherige)""",
        """
        \b (ignora|ignore|ignoren|ignorar|olvida|olvide|olviden|olvidar|descarta|omite) \s+ (todas? \s+)? (las \s+|tus \s+|sus \s+)?
        (instrucciones|indicaciones|ordenes|reglas|directrices) \s+ (anteriores|previas|precedentes|de \s+ arriba|iniciales)
        """,
        """\b (olvida|ignora) \s+ todo \s+ lo \s+ (anterior|que \s+ (te \s+)? (dije|dijeron))""",
        """\b (ignora|dimentica|trascura) \s+ (tutte \s+)? (le \s+)? (istruzioni|indicazioni|regole) \s+ (precedenti|sopra|iniziali)""",
        """\b (ignore|ignora|esqueca|desconsidere) \s+ (todas \s+)? (as \s+)? (instrucoes|orientacoes|regras) \s+ (anteriores|acima|iniciais)""");
}
