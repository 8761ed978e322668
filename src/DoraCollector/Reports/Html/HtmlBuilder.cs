using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace DoraCollector.Reports.Html;

/// <summary>Markup that is already safe: written as is. Only code makes it, from literals and encoded values.</summary>
internal readonly record struct Markup(string Html)
{
    public static Markup Empty { get; } = new("");
}

/// <summary>
/// Builds HTML from interpolated strings whose literal parts are markup and whose holes are
/// always encoded: <c>html.Append($"&lt;td&gt;{service}&lt;/td&gt;")</c> cannot inject, whatever the
/// service is called. There is no overload that takes a plain string, so markup cannot be
/// assembled by concatenation by mistake. Attributes must be double-quoted.
/// </summary>
internal sealed class HtmlBuilder
{
    // Every character outside ASCII markup stays readable (names in any script); <, >, &, ", ' and
    // the like are always encoded, in text and in attribute values alike.
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    private readonly StringBuilder _html = new(32 * 1024);

    public HtmlBuilder Append([InterpolatedStringHandlerArgument("")] ref Handler handler)
    {
        // The handler has already written into this builder while the string was evaluated.
        _ = handler;
        return this;
    }

    public Markup ToMarkup() => new(_html.ToString());

    public override string ToString() => _html.ToString();

    public static string Encode(string text) => Encoder.Encode(text);

    /// <summary>An http(s) address as it may go into <c>href</c>; null for anything else (<c>javascript:</c>, relative, garbage).</summary>
    public static string? SafeUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.AbsoluteUri : null;

    [InterpolatedStringHandler]
    internal readonly ref struct Handler
    {
        private readonly StringBuilder _html;

        public Handler(int literalLength, int formattedCount, HtmlBuilder builder)
        {
            _ = formattedCount;
            _html = builder._html;
            _html.EnsureCapacity(_html.Length + literalLength);
        }

        public void AppendLiteral(string markup) => _html.Append(markup);

        public void AppendFormatted(Markup markup) => _html.Append(markup.Html);

        public void AppendFormatted(string? text)
        {
            if (text is not null)
            {
                _html.Append(Encoder.Encode(text));
            }
        }

        public void AppendFormatted(int value) => _html.Append(value.ToString(CultureInfo.InvariantCulture));

        public void AppendFormatted(long value) => _html.Append(value.ToString(CultureInfo.InvariantCulture));

        public void AppendFormatted(double value, string? format = null) =>
            _html.Append(Encoder.Encode(value.ToString(format ?? "R", CultureInfo.InvariantCulture)));
    }
}
