using System.Text;
using System.Text.RegularExpressions;

namespace DoraCollector.Sources.Alertmanager;

/// <summary>The four operators of a Prometheus label matcher.</summary>
internal enum MatchOperator
{
    /// <summary><c>=</c></summary>
    Equal,

    /// <summary><c>!=</c></summary>
    NotEqual,

    /// <summary><c>=~</c></summary>
    Regex,

    /// <summary><c>!~</c></summary>
    NotRegex,
}

/// <summary>
/// One label matcher with Prometheus' semantics: a label the alert does not carry reads as the
/// empty string (so <c>team!="x"</c> matches an alert without <c>team</c>, and <c>team=~".*"</c>
/// too), and a regular expression must match the whole value, as if written <c>^(?:re)$</c>.
/// </summary>
internal sealed class LabelMatcher
{
    // Label values are short; a pathological expression must not hang a mapping.
    private static readonly TimeSpan RegexBudget = TimeSpan.FromMilliseconds(250);

    private readonly Regex? _regex;

    /// <exception cref="ArgumentException">The value of a regex matcher is not a valid regular expression.</exception>
    public LabelMatcher(string name, MatchOperator op, string value)
    {
        Name = name;
        Operator = op;
        Value = value;
        if (op is MatchOperator.Regex or MatchOperator.NotRegex)
        {
            // \z rather than $: in .NET, $ also matches before a final line feed; Go's does not.
            _regex = new Regex($"^(?:{value})\\z", RegexOptions.CultureInvariant, RegexBudget);
        }
    }

    public string Name { get; }

    public MatchOperator Operator { get; }

    public string Value { get; }

    /// <summary>
    /// Whether the matcher holds for a label value (the empty string for a missing label). A
    /// regular expression that runs out of time does not hold, whichever its operator.
    /// </summary>
    public bool Matches(string value)
    {
        try
        {
            return Operator switch
            {
                MatchOperator.Equal => string.Equals(value, Value, StringComparison.Ordinal),
                MatchOperator.NotEqual => !string.Equals(value, Value, StringComparison.Ordinal),
                MatchOperator.Regex => _regex!.IsMatch(value),
                _ => !_regex!.IsMatch(value),
            };
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    /// <summary>Whether the matcher holds for an alert's labels.</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels) =>
        Matches(labels.TryGetValue(Name, out var value) ? value : "");

    /// <summary>True when every matcher holds: a list of matchers is a conjunction, as in a route.</summary>
    public static bool All(IReadOnlyList<LabelMatcher> matchers, IReadOnlyDictionary<string, string> labels)
    {
        foreach (var matcher in matchers)
        {
            if (!matcher.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The canonical spelling, <c>name=~"value"</c>, that every Alertmanager version parses back to this matcher.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        if (LabelMatcherParser.IsPlainLabelName(Name))
        {
            text.Append(Name);
        }
        else
        {
            Quote(text, Name);
        }

        text.Append(Operator switch
        {
            MatchOperator.Equal => "=",
            MatchOperator.NotEqual => "!=",
            MatchOperator.Regex => "=~",
            _ => "!~",
        });
        Quote(text, Value);
        return text.ToString();
    }

    // The OpenMetrics escapes Alertmanager's parser undoes: backslash, double quote, line feed.
    private static void Quote(StringBuilder text, string value)
    {
        text.Append('"');
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '\n' => "\\n",
                _ => c.ToString(),
            });
        }

        text.Append('"');
    }
}
