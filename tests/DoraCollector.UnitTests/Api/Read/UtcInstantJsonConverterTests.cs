using System.Text.Json;
using DoraCollector.Api.Read;

namespace DoraCollector.UnitTests.Api.Read;

public sealed class UtcInstantJsonConverterTests
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { Converters = { new UtcInstantJsonConverter() } };

    [Theory]
    [InlineData("2026-03-02T09:30:00+00:00", "\"2026-03-02T09:30:00Z\"")]
    [InlineData("2026-03-02T11:30:00+02:00", "\"2026-03-02T09:30:00Z\"")]
    [InlineData("2026-03-02T09:30:00.1234567+00:00", "\"2026-03-02T09:30:00.1234567Z\"")]
    [InlineData("2026-03-02T09:30:00.5+00:00", "\"2026-03-02T09:30:00.5Z\"")]
    public void Instants_are_written_in_utc_with_a_z_and_only_the_fraction_they_have(string instant, string json)
    {
        var value = DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(json, JsonSerializer.Serialize(value, Options));
    }

    [Fact]
    public void Null_stays_null_and_any_offset_reads_back_as_the_same_instant()
    {
        Assert.Equal("null", JsonSerializer.Serialize<DateTimeOffset?>(null, Options));
        Assert.Equal(
            new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero),
            JsonSerializer.Deserialize<DateTimeOffset>("\"2026-03-02T11:30:00+02:00\"", Options));
    }
}
