using System.Text;
using System.Text.Json;
using DoraCollector.Ingestion;

namespace DoraCollector.UnitTests.Ingestion;

public sealed class PayloadTextTests
{
    [Fact]
    public void Valid_utf8_is_decoded_as_it_is() =>
        Assert.Equal("""{"name":"café ✓"}""", PayloadText.Decode(Encoding.UTF8.GetBytes("""{"name":"café ✓"}""")));

    [Fact]
    public void Invalid_utf8_is_read_as_the_replacement_character()
    {
        byte[] body = [.. """{"name":"a"""u8, 0xC3, 0x28, 0xFF, .. """b"}"""u8];

        Assert.Equal("{\"name\":\"a\uFFFD(\uFFFDb\"}", PayloadText.Decode(body));
    }

    [Fact]
    public void A_nul_escape_is_read_as_the_replacement_character()
    {
        var text = PayloadText.Decode("""{"name":"web\u0000api","n":"\\u0000","m":"\\\u0000"}"""u8);

        using var json = JsonDocument.Parse(text);
        Assert.Equal("web\uFFFDapi", json.RootElement.GetProperty("name").GetString());
        Assert.Equal(@"\u0000", json.RootElement.GetProperty("n").GetString());   // an escaped backslash, then text
        Assert.Equal("\\\uFFFD", json.RootElement.GetProperty("m").GetString());
    }
}
