using System.Text;
using System.Text.RegularExpressions;

namespace DoraCollector.Ingestion;

/// <summary>
/// How mapping reads a stored body (the stored bytes stay exactly as sent): as UTF-8, with an
/// invalid sequence read as U+FFFD, and a JSON escape <c>\u0000</c> read as <c>\uFFFD</c>, since
/// PostgreSQL text cannot hold NUL and a name or title that carries one would fail every time it
/// is written. Decoding happens once per event, and the escape is looked for only when the body
/// holds one.
/// </summary>
internal static partial class PayloadText
{
    public static string Decode(ReadOnlySpan<byte> body)
    {
        var text = Encoding.UTF8.GetString(body);
        return text.Contains(@"\u0000", StringComparison.Ordinal) ? NulEscape().Replace(text, @"$1\uFFFD") : text;
    }

    // An escape, not an escaped backslash followed by "u0000": an odd number of backslashes.
    [GeneratedRegex(@"(?<!\\)((?:\\\\)*)\\u0000")]
    private static partial Regex NulEscape();
}
