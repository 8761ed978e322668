using System.Text.Json;
using DoraCollector.Hosting;
using DoraCollector.Ingestion;

namespace DoraCollector.Sources.Alertmanager;

/// <summary>
/// Reads Alertmanager's JSON strictly, naming every problem by its path (<c>alerts[2].startsAt</c>):
/// the webhook checks a whole notification before storing any of it, the reconciliation checks
/// what the API answered, and the mapper reads the stored payloads with the same rules.
/// </summary>
internal static class AlertmanagerPayloadReader
{
    public const string SupportedVersion = "4";

    private const int MaxText = 64 * 1024;

    /// <summary>A webhook notification; null when <paramref name="problems"/> got at least one entry.</summary>
    public static AlertmanagerNotification? ReadNotification(JsonElement root, RequestProblems problems)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            problems.Add("$", "must be a JSON object (an Alertmanager webhook notification)");
            return null;
        }

        CheckNoNul(root, "$", problems);
        var version = root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        if (version != SupportedVersion)
        {
            problems.Add("version", version is null
                ? $"is required; Alertmanager sends \"{SupportedVersion}\""
                : $"'{version}' is not supported; only webhook payload version {SupportedVersion} is");
            return null;
        }

        var truncated = 0;
        if (root.TryGetProperty("truncatedAlerts", out var t) && t.ValueKind != JsonValueKind.Null
            && (t.ValueKind != JsonValueKind.Number || !t.TryGetInt32(out truncated) || truncated < 0))
        {
            problems.Add("truncatedAlerts", "must be a whole number, 0 or more");
        }

        if (!root.TryGetProperty("alerts", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            problems.Add("alerts", "must be an array");
            return null;
        }

        var alerts = new List<AlertmanagerAlert>();
        var index = 0;
        foreach (var item in list.EnumerateArray())
        {
            if (ReadAlert(item, $"alerts[{index++}]", fromWebhook: true, problems) is { } alert)
            {
                alerts.Add(alert);
            }
        }

        var keys = alerts.GroupBy(a => a.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (keys is not null)
        {
            problems.Add("alerts", $"'{keys.Key}' appears more than once");
        }

        return problems.Count > 0
            ? null
            : new AlertmanagerNotification(OptionalString(root, "groupKey"), OptionalString(root, "receiver"), truncated, alerts);
    }

    /// <summary>The answer of <c>GET /api/v2/alerts</c>: an array of alerts, all of them not resolved.</summary>
    public static IReadOnlyList<AlertmanagerAlert>? ReadActiveAlerts(JsonElement root, RequestProblems problems)
    {
        if (root.ValueKind != JsonValueKind.Array)
        {
            problems.Add("$", "must be an array of alerts");
            return null;
        }

        CheckNoNul(root, "$", problems);
        var alerts = new List<AlertmanagerAlert>();
        var index = 0;
        foreach (var item in root.EnumerateArray())
        {
            if (ReadAlert(item, $"[{index++}]", fromWebhook: false, problems) is { } alert)
            {
                alerts.Add(alert);
            }
        }

        return problems.Count > 0 ? null : alerts;
    }

    /// <summary>A stored webhook notification, for the mapper.</summary>
    /// <exception cref="InvalidPayloadException">It does not read as one.</exception>
    public static AlertmanagerNotification ParseNotification(string json) =>
        Parse(json, ReadNotification, "notification");

    /// <summary>A stored observation of the reconciliation: <c>{"observedAt": ..., "alert": {API alert}}</c>.</summary>
    /// <exception cref="InvalidPayloadException">It does not read as one.</exception>
    public static AlertmanagerObservation ParseObservation(string json) => Parse(json, (root, problems) =>
    {
        var observedAt = Instant(root, "observedAt", "observedAt", problems);
        var alert = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("alert", out var a)
            ? ReadAlert(a, "alert", fromWebhook: false, problems)
            : null;
        if (alert is null && problems.Count == 0)
        {
            problems.Add("alert", "is required");
        }

        return problems.Count > 0 ? null : new AlertmanagerObservation(observedAt!.Value, alert!);
    }, "observation");

    /// <summary>A stored vanish: <c>{"fingerprint": ..., "startsAt": ..., "observedAt": ...}</c>.</summary>
    /// <exception cref="InvalidPayloadException">It does not read as one.</exception>
    public static AlertmanagerVanished ParseVanished(string json) => Parse(json, (root, problems) =>
    {
        var fingerprint = RequiredString(root, "fingerprint", "fingerprint", problems);
        var startsAt = Instant(root, "startsAt", "startsAt", problems);
        var observedAt = Instant(root, "observedAt", "observedAt", problems);
        return problems.Count > 0 ? null : new AlertmanagerVanished(fingerprint!, startsAt!.Value, observedAt!.Value);
    }, "vanished alert");

    private static T Parse<T>(string json, Func<JsonElement, RequestProblems, T?> read, string what)
        where T : class
    {
        using var document = JsonDocument.Parse(json);
        var problems = new RequestProblems();
        return read(document.RootElement, problems) ?? throw new InvalidPayloadException($"not an Alertmanager {what}: {problems.Summary}");
    }

    private static AlertmanagerAlert? ReadAlert(JsonElement item, string path, bool fromWebhook, RequestProblems problems)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            problems.Add(path, "must be an object");
            return null;
        }

        var before = problems.Count;
        var fingerprint = RequiredString(item, "fingerprint", $"{path}.fingerprint", problems);
        var labels = Labels(item, "labels", $"{path}.labels", required: true, problems);
        var annotations = Labels(item, "annotations", $"{path}.annotations", required: false, problems);
        var startsAt = Instant(item, "startsAt", $"{path}.startsAt", problems);
        var resolved = false;
        DateTimeOffset? endsAt = null;
        if (fromWebhook)
        {
            var status = OptionalString(item, "status");
            resolved = status == "resolved";
            if (status is not ("firing" or "resolved"))
            {
                problems.Add($"{path}.status", "must be firing or resolved");
            }

            endsAt = Instant(item, "endsAt", $"{path}.endsAt", problems, required: resolved, zeroIsNone: true);
            if (resolved && endsAt < startsAt)
            {
                problems.Add($"{path}.endsAt", "is before startsAt");
            }
        }

        string? generatorUrl = null;
        if (item.TryGetProperty("generatorURL", out var g) && g.ValueKind != JsonValueKind.Null)
        {
            generatorUrl = g.ValueKind == JsonValueKind.String ? g.GetString() : null;
            if (g.ValueKind != JsonValueKind.String)
            {
                problems.Add($"{path}.generatorURL", "must be a string");
            }
        }

        return problems.Count > before
            ? null
            : new AlertmanagerAlert(fingerprint!, resolved, labels!, annotations ?? new Dictionary<string, string>(), startsAt!.Value,
                resolved ? endsAt : null, string.IsNullOrWhiteSpace(generatorUrl) ? null : generatorUrl);
    }

    private static string? RequiredString(JsonElement item, string name, string path, RequestProblems problems)
    {
        var value = item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()!.Trim()
            : null;
        if (string.IsNullOrEmpty(value))
        {
            problems.Add(path, "is required (a non-empty string)");
            return null;
        }

        if (value.Length > 200 || value.Any(char.IsControl))
        {
            problems.Add(path, "must be at most 200 characters without control characters");
            return null;
        }

        return value;
    }

    private static string? OptionalString(JsonElement item, string name) =>
        item.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static Dictionary<string, string>? Labels(JsonElement item, string name, string path, bool required, RequestProblems problems)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                problems.Add(path, "is required (an object of strings)");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            problems.Add(path, "must be an object of strings");
            return null;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String || property.Value.GetString()!.Length > MaxText)
            {
                problems.Add($"{path}.{property.Name}", $"must be a string of at most {MaxText} characters");
                continue;
            }

            labels[property.Name] = property.Value.GetString()!;
        }

        return labels;
    }

    // Go writes instants as RFC 3339 with up to nine fractional digits; System.Text.Json reads
    // that form and truncates to its 100 ns ticks (never rounding into the next millisecond).
    private static DateTimeOffset? Instant(
        JsonElement item, string name, string path, RequestProblems problems, bool required = true, bool zeroIsNone = false)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                problems.Add(path, "is required (an RFC 3339 time)");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.String || !value.TryGetDateTimeOffset(out var instant))
        {
            problems.Add(path, "must be an RFC 3339 time such as 2025-01-01T10:00:00Z");
            return null;
        }

        // Go's zero time: "not set". Fine for a firing alert's endsAt, missing anywhere else.
        if (instant.UtcDateTime.Year <= 1)
        {
            if (required || !zeroIsNone)
            {
                problems.Add(path, "is the zero time; a real time is required");
            }

            return null;
        }

        return instant.ToUniversalTime();
    }

    // PostgreSQL's jsonb cannot hold U+0000: a payload carrying one could never be stored, so it
    // is refused as bad input rather than failing as if the database were down.
    private static void CheckNoNul(JsonElement element, string path, RequestProblems problems)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String when element.GetString()!.Contains('\0', StringComparison.Ordinal):
                problems.Add(path, "must not contain the NUL character");
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name.Contains('\0', StringComparison.Ordinal))
                    {
                        problems.Add(path, "has a property name with the NUL character");
                    }

                    CheckNoNul(property.Value, $"{path}.{property.Name}", problems);
                }

                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    CheckNoNul(item, $"{path}[{index++}]", problems);
                }

                break;
        }
    }
}
