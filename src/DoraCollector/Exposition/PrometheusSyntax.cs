using System.Buffers;
using System.Text;

namespace DoraCollector.Exposition;

/// <summary>The lexical rules of the text exposition format 0.0.4: names and escaping.</summary>
internal static class PrometheusSyntax
{
    private static readonly SearchValues<char> LabelValueSpecials = SearchValues.Create("\\\"\n");
    private static readonly SearchValues<char> HelpSpecials = SearchValues.Create("\\\n");

    /// <summary><c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>; colons are allowed by the format (recording rules use them).</summary>
    public static bool IsMetricName(string name) => IsName(name, allowColon: true);

    /// <summary><c>[a-zA-Z_][a-zA-Z0-9_]*</c>, not starting with <c>__</c>, which Prometheus reserves.</summary>
    public static bool IsLabelName(string name) =>
        IsName(name, allowColon: false) && !name.StartsWith("__", StringComparison.Ordinal);

    public static void ValidateMetricName(string name)
    {
        if (!IsMetricName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*).", nameof(name));
        }
    }

    public static void ValidateLabelName(string name)
    {
        if (!IsLabelName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with __).", nameof(name));
        }
    }

    /// <summary>
    /// Room that <see cref="EscapeLabelValue"/> or <see cref="EscapeHelp"/> may need: an escape
    /// takes two bytes for one character, which is within UTF-8's worst case of three.
    /// </summary>
    public static int MaxEscapedLength(string text) => Encoding.UTF8.GetMaxByteCount(text.Length);

    /// <summary>UTF-8 of a label value with <c>\</c>, <c>"</c> and newline escaped; returns the bytes written.</summary>
    public static int EscapeLabelValue(ReadOnlySpan<char> value, Span<byte> destination) =>
        Escape(value, destination, LabelValueSpecials);

    /// <summary>UTF-8 of a HELP text with <c>\</c> and newline escaped (quotes stay as they are there).</summary>
    public static int EscapeHelp(ReadOnlySpan<char> help, Span<byte> destination) =>
        Escape(help, destination, HelpSpecials);

    private static int Escape(ReadOnlySpan<char> text, Span<byte> destination, SearchValues<char> specials)
    {
        var written = 0;
        while (true)
        {
            // The specials are ASCII, so cutting the text at them never splits a surrogate pair.
            var next = text.IndexOfAny(specials);
            written += Encoding.UTF8.GetBytes(next < 0 ? text : text[..next], destination[written..]);
            if (next < 0)
            {
                return written;
            }

            destination[written++] = (byte)'\\';
            destination[written++] = text[next] == '\n' ? (byte)'n' : (byte)text[next];
            text = text[(next + 1)..];
        }
    }

    private static bool IsName(string name, bool allowColon)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = char.IsAsciiLetter(c) || c == '_' || (allowColon && c == ':') || (i > 0 && char.IsAsciiDigit(c));
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }
}
