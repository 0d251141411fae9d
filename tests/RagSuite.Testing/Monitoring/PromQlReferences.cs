namespace RagSuite.Testing.Monitoring;

/// <summary>A label matcher of a selector: <c>label op "value"</c>, op one of <c>= != =~ !~</c>.</summary>
public sealed record LabelMatcher(string Label, string Op, string Value);

/// <summary>A vector selector: the metric it names and its label matchers.</summary>
public sealed record MetricSelector(string Metric, IReadOnlyList<LabelMatcher> Matchers);

/// <summary>
/// What a PromQL expression refers to: the metrics it selects (with their matchers) and the label names it groups or
/// matches on (<c>by</c>, <c>without</c>, <c>on</c>, <c>ignoring</c>, <c>group_left</c>, <c>group_right</c>). Not a
/// full parser: promtool says whether an expression is valid; this finds the names in one that is.
/// </summary>
public sealed class PromQlReferences
{
    private static readonly HashSet<string> Aggregations =
        ["sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio"];

    private static readonly HashSet<string> Keywords =
        ["and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan", "atan2", "start", "end"];

    private static readonly HashSet<string> LabelLists = ["by", "without", "on", "ignoring", "group_left", "group_right"];

    private PromQlReferences(IReadOnlyList<MetricSelector> selectors, IReadOnlySet<string> groupingLabels)
    {
        Selectors = selectors;
        GroupingLabels = groupingLabels;
    }

    public IReadOnlyList<MetricSelector> Selectors { get; }

    public IReadOnlySet<string> GroupingLabels { get; }

    public static PromQlReferences Of(string expr)
    {
        var tokens = Tokens(expr);
        var selectors = new List<MetricSelector>();
        var grouping = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var next = i + 1 < tokens.Count ? tokens[i + 1] : default;
            switch (token.Kind)
            {
                case TokenKind.Identifier when LabelLists.Contains(token.Text) && next.Text == "(":
                    for (i += 2; i < tokens.Count && tokens[i].Text != ")"; i++)
                    {
                        if (tokens[i].Kind == TokenKind.Identifier) grouping.Add(tokens[i].Text);
                    }
                    break;
                case TokenKind.Identifier when next.Text == "(" || Aggregations.Contains(token.Text) || Keywords.Contains(token.Text.ToLowerInvariant()):
                    break;
                case TokenKind.Identifier:
                    var matchers = next.Text == "{" ? Matchers(tokens, ref i, i + 1) : [];
                    selectors.Add(new(token.Text, matchers));
                    break;
                case TokenKind.Punctuation when token.Text == "{":
                    var anonymous = Matchers(tokens, ref i, i);
                    var name = anonymous.FirstOrDefault(m => m.Label == "__name__" && m.Op == "=")?.Value ?? "";
                    selectors.Add(new(name, [.. anonymous.Where(m => m.Label != "__name__")]));
                    break;
                case TokenKind.Punctuation when token.Text == "[":
                    while (i < tokens.Count && tokens[i].Text != "]") i++;
                    break;
            }
        }
        return new(selectors, grouping);
    }

    private static List<LabelMatcher> Matchers(List<Token> tokens, ref int i, int open)
    {
        var matchers = new List<LabelMatcher>();
        for (i = open + 1; i < tokens.Count && tokens[i].Text != "}"; i++)
        {
            if (tokens[i].Kind == TokenKind.Identifier && i + 2 < tokens.Count && tokens[i + 1].Kind == TokenKind.Operator && tokens[i + 2].Kind == TokenKind.String)
            {
                matchers.Add(new(tokens[i].Text, tokens[i + 1].Text, tokens[i + 2].Text));
                i += 2;
            }
        }
        return matchers;
    }

    private enum TokenKind { Identifier, String, Number, Operator, Punctuation }

    private readonly record struct Token(TokenKind Kind, string Text);

    private static List<Token> Tokens(string expr)
    {
        var tokens = new List<Token>();
        for (var i = 0; i < expr.Length;)
        {
            var c = expr[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '#')
            {
                while (i < expr.Length && expr[i] != '\n') i++;
            }
            else if (c is '"' or '\'' or '`')
            {
                var value = new System.Text.StringBuilder();
                for (i++; i < expr.Length && expr[i] != c; i++)
                {
                    if (expr[i] == '\\' && c != '`' && i + 1 < expr.Length) i++;
                    value.Append(expr[i]);
                }
                i++;
                tokens.Add(new(TokenKind.String, value.ToString()));
            }
            else if (char.IsDigit(c) || (c == '.' && i + 1 < expr.Length && char.IsDigit(expr[i + 1])))
            {
                var start = i;
                while (i < expr.Length && (char.IsLetterOrDigit(expr[i]) || expr[i] == '.')) i++;
                tokens.Add(new(TokenKind.Number, expr[start..i]));
            }
            else if (char.IsLetter(c) || c is '_' or ':')
            {
                var start = i;
                while (i < expr.Length && (char.IsLetterOrDigit(expr[i]) || expr[i] is '_' or ':')) i++;
                tokens.Add(new(TokenKind.Identifier, expr[start..i]));
            }
            else if (c is '(' or ')' or '{' or '}' or '[' or ']' or ',')
            {
                tokens.Add(new(TokenKind.Punctuation, c.ToString()));
                i++;
            }
            else
            {
                var two = i + 1 < expr.Length ? expr.Substring(i, 2) : "";
                var op = two is "=~" or "!~" or "!=" or "==" or ">=" or "<=" ? two : c.ToString();
                tokens.Add(new(TokenKind.Operator, op));
                i += op.Length;
            }
        }
        return tokens;
    }
}
