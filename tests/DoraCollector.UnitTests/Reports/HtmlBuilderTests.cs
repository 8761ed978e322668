using DoraCollector.Reports.Html;

namespace DoraCollector.UnitTests.Reports;

public sealed class HtmlBuilderTests
{
    [Fact]
    public void Holes_are_encoded_and_literals_are_markup()
    {
        var name = "<b>\"x\" & 'y'</b>";
        var html = new HtmlBuilder();

        html.Append($"""<td title="{name}">{name}</td>""");

        Assert.Equal("<td title=\"&lt;b&gt;&quot;x&quot; &amp; &#x27;y&#x27;&lt;/b&gt;\">&lt;b&gt;&quot;x&quot; &amp; &#x27;y&#x27;&lt;/b&gt;</td>", html.ToString());
    }

    [Fact]
    public void Names_in_any_script_stay_readable()
    {
        var html = new HtmlBuilder();

        html.Append($"<td>{"Zahlungsdienst Ü – 決済"}</td>");

        Assert.Equal("<td>Zahlungsdienst Ü – 決済</td>", html.ToString());
    }

    [Theory]
    [InlineData("https://github.com/acme/shop/pull/1", "https://github.com/acme/shop/pull/1")]
    [InlineData("HTTP://example.com/a b", "http://example.com/a%20b")]
    [InlineData("javascript:alert(1)", null)]
    [InlineData("JaVaScRiPt:alert(1)", null)]
    [InlineData("data:text/html,<script>", null)]
    [InlineData("/relative/path", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Only_absolute_http_addresses_become_links(string? url, string? expected) =>
        Assert.Equal(expected, HtmlBuilder.SafeUrl(url));
}
