using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DoraCollector.Api.Read;

/// <summary>
/// Writes every instant as ISO-8601 UTC with a <c>Z</c> (<c>2026-03-02T09:30:00Z</c>), whatever
/// offset it carries, so clients never see local offsets; reads any ISO-8601 form as before.
/// </summary>
internal sealed class UtcInstantJsonConverter : JsonConverter<DateTimeOffset>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
}
