using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DoraCollector.Hosting;
using DoraCollector.Ingestion;

namespace DoraCollector.Api;

/// <summary>
/// Reads the fields of one JSON object, adding a message per bad field under its path
/// (<c>[2].commits[0].authoredAt</c>) to the request's problems, so a client learns every mistake in one answer.
/// </summary>
internal sealed partial class JsonFields(JsonElement element, string path, RequestProblems problems, DateTimeOffset now)
{
    public string? String(string name, bool required, int maxLength = 200, Regex? pattern = null, string? patternHelp = null)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return Fail<string>(name, "must be a string");
        }

        if (Text(name, value) is not { } raw)
        {
            return null;
        }

        var text = raw.Trim();
        if (text.Length == 0)
        {
            return required ? Fail<string>(name, "must not be empty") : null;
        }

        if (text.Length > maxLength)
        {
            return Fail<string>(name, $"is longer than {maxLength} characters");
        }

        if (text.Any(char.IsControl))
        {
            return Fail<string>(name, "must not contain control characters");
        }

        return pattern is null || pattern.IsMatch(text) ? text : Fail<string>(name, patternHelp ?? "has an invalid format");
    }

    public DateTimeOffset? Instant(string name, bool required)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && Text(name, value) is null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String
            || !DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var instant)
            || !HasOffset(value.GetString()!))
        {
            return Fail<DateTimeOffset?>(name, "must be an ISO 8601 instant with a time zone, such as 2026-03-02T10:15:00Z");
        }

        // Instants before 2000 or more than a day ahead are typos or clock faults, not history:
        // the rule every source's events are held to when they are mapped.
        if (!Plausible.IsInstant(instant, now))
        {
            return Fail<DateTimeOffset?>(name, $"is out of range ({instant:O}): not before 2000 nor more than a day ahead");
        }

        return instant.ToUniversalTime();
    }

    public int? PositiveInt(string name, bool required)
    {
        if (!TryGet(name, required, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) && number > 0
            ? number
            : Fail<int?>(name, "must be a positive whole number");
    }

    public IReadOnlyList<string>? Strings(string name, int maxItems = 50)
    {
        if (!TryGet(name, false, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() > maxItems
            || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            return Fail<IReadOnlyList<string>>(name, $"must be an array of at most {maxItems} non-empty strings");
        }

        var items = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var text = Text($"{name}[{index++}]", item)?.Trim();
            if (text is null)
            {
                return null;
            }

            if (text.Length == 0)
            {
                return Fail<IReadOnlyList<string>>(name, $"must be an array of at most {maxItems} non-empty strings");
            }

            items.Add(text);
        }

        return items;
    }

    /// <summary>The field as an array of objects (null when absent), each read by <paramref name="read"/>.</summary>
    public IReadOnlyList<T>? Objects<T>(string name, int maxItems, Func<JsonFields, T?> read)
        where T : class
    {
        if (!TryGet(name, false, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return Fail<IReadOnlyList<T>>(name, "must be an array");
        }

        if (value.GetArrayLength() > maxItems)
        {
            return Fail<IReadOnlyList<T>>(name, $"has more than {maxItems} items");
        }

        var items = new List<T>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = $"{Join(name)}[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                problems.Add(itemPath, "must be an object");
                continue;
            }

            if (read(new JsonFields(item, itemPath, problems, now)) is { } read_)
            {
                items.Add(read_);
            }
        }

        return items;
    }

    public T? Object<T>(string name, Func<JsonFields, T?> read)
        where T : class
    {
        if (!TryGet(name, false, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object
            ? read(new JsonFields(value, Join(name), problems, now))
            : Fail<T>(name, "must be an object");
    }

    public void Fail(string name, string message) => problems.Add(Join(name), message);

    // The value of a JSON string, or null (and a message) when it is not text that can be stored:
    // invalid UTF-8 or a lone surrogate ("\ud800"), which cannot be read at all, or NUL ("\u0000"),
    // which PostgreSQL refuses.
    private string? Text(string name, JsonElement value)
    {
        string text;
        try
        {
            text = value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return Fail<string>(name, "is not valid text: it holds bytes that are not UTF-8 or a lone surrogate");
        }

        return text.Contains('\0', StringComparison.Ordinal) ? Fail<string>(name, "must not contain NUL characters (\\u0000)") : text;
    }

    private bool TryGet(string name, bool required, out JsonElement value)
    {
        if (element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        if (required)
        {
            problems.Add(Join(name), "is required");
        }

        return false;
    }

    private T? Fail<T>(string name, string message)
    {
        Fail(name, message);
        return default;
    }

    private string Join(string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || OffsetSuffix().IsMatch(text);

    [GeneratedRegex(@"[+-]\d{2}:?\d{2}$")]
    private static partial Regex OffsetSuffix();
}
