using System.Text;
using System.Text.RegularExpressions;

namespace DoraCollector.Sources.Alertmanager;

/// <summary>
/// Reads label matchers as Alertmanager writes them in routes, silences and <c>amtool</c>:
/// <c>severity=~"critical|page"</c>, a comma-separated list of them, optionally inside braces
/// (<c>{team="payments", env!="dev"}</c>). A label name is a Prometheus name or, as Alertmanager
/// 0.27+ allows, a double-quoted string. A value is double-quoted (escapes <c>\"</c>, <c>\\</c>,
/// <c>\n</c>; any other backslash is kept, so <c>"5\d\d"</c> is the regex it looks like) or
/// written bare up to the next comma. Regular expressions are checked when they are read.
/// </summary>
internal static partial class LabelMatcherParser
{
    /// <summary>Every matcher in <paramref name="text"/>; a <see cref="FormatException"/> says what is wrong and where.</summary>
    public static IReadOnlyList<LabelMatcher> Parse(string text)
    {
        var reader = new Reader(text);
        reader.SkipSpace();
        var braced = reader.TryTake('{');
        var matchers = new List<LabelMatcher>();
        while (true)
        {
            reader.SkipSpace();
            if (reader.AtEnd || (braced && reader.Peek == '}'))
            {
                break;
            }

            matchers.Add(ReadMatcher(reader));
            reader.SkipSpace();
            if (!reader.TryTake(','))
            {
                break;
            }
        }

        if (braced && !reader.TryTake('}'))
        {
            throw reader.Error("expected '}' to close the list");
        }

        reader.SkipSpace();
        if (!reader.AtEnd)
        {
            throw reader.Error($"unexpected '{reader.Peek}'");
        }

        return matchers.Count > 0 ? matchers : throw new FormatException("no matcher found");
    }

    /// <summary>Like <see cref="Parse"/>, reporting the problem instead of throwing.</summary>
    public static bool TryParse(string text, out IReadOnlyList<LabelMatcher> matchers, out string error)
    {
        try
        {
            matchers = Parse(text);
            error = "";
            return true;
        }
        catch (FormatException e)
        {
            matchers = [];
            error = e.Message;
            return false;
        }
    }

    /// <summary>A classic Prometheus label name, written without quotes.</summary>
    public static bool IsPlainLabelName(string name) => PlainName().IsMatch(name);

    private static LabelMatcher ReadMatcher(Reader reader)
    {
        var name = reader.Peek == '"' ? reader.ReadQuoted("label name") : reader.ReadName();
        if (name.Length == 0)
        {
            throw reader.Error("expected a label name");
        }

        reader.SkipSpace();
        var op = reader.ReadOperator();
        reader.SkipSpace();
        var value = reader.Peek == '"' ? reader.ReadQuoted("value") : reader.ReadBare();
        try
        {
            return new LabelMatcher(name, op, value);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{name}: '{value}' is not a valid regular expression ({e.Message})", e);
        }
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex PlainName();

    private sealed class Reader(string text)
    {
        private int _at;

        public bool AtEnd => _at >= text.Length;

        public char Peek => AtEnd ? '\0' : text[_at];

        public void SkipSpace()
        {
            while (!AtEnd && char.IsWhiteSpace(text[_at]))
            {
                _at++;
            }
        }

        public bool TryTake(char c)
        {
            if (Peek != c || AtEnd)
            {
                return false;
            }

            _at++;
            return true;
        }

        public string ReadName()
        {
            var start = _at;
            while (!AtEnd && (char.IsAsciiLetterOrDigit(text[_at]) || text[_at] is '_' or ':'))
            {
                _at++;
            }

            var name = text[start.._at];
            return name.Length > 0 && char.IsAsciiDigit(name[0]) ? throw Error($"'{name}' is not a label name") : name;
        }

        public MatchOperator ReadOperator()
        {
            var rest = text.AsSpan(_at);
            (MatchOperator Op, int Length)? found =
                rest.StartsWith("=~") ? (MatchOperator.Regex, 2)
                : rest.StartsWith("!~") ? (MatchOperator.NotRegex, 2)
                : rest.StartsWith("!=") ? (MatchOperator.NotEqual, 2)
                : rest.StartsWith("=") ? (MatchOperator.Equal, 1)
                : null;
            if (found is not { } match)
            {
                throw Error("expected one of =, !=, =~, !~");
            }

            _at += match.Length;
            return match.Op;
        }

        public string ReadQuoted(string what)
        {
            var start = _at++;
            var value = new StringBuilder();
            while (!AtEnd)
            {
                var c = text[_at++];
                if (c == '"')
                {
                    return value.ToString();
                }

                if (c == '\\' && !AtEnd)
                {
                    var next = text[_at++];
                    value.Append(next switch
                    {
                        'n' => "\n",
                        '"' => "\"",
                        '\\' => "\\",
                        _ => $"\\{next}",
                    });
                    continue;
                }

                value.Append(c);
            }

            _at = start;
            throw Error($"the quoted {what} is not closed");
        }

        // A bare value runs to the next comma or closing brace; surrounding spaces are not part of it.
        public string ReadBare()
        {
            var start = _at;
            while (!AtEnd && text[_at] is not (',' or '}'))
            {
                if (text[_at] == '"')
                {
                    throw Error("a value with a double quote in it must be quoted");
                }

                _at++;
            }

            return text[start.._at].Trim();
        }

        public FormatException Error(string message) =>
            new(AtEnd ? $"{message} at the end" : $"{message} at position {_at + 1}");
    }
}
