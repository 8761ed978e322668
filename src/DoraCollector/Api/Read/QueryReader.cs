using System.Globalization;
using System.Text.RegularExpressions;
using DoraCollector.Hosting;

namespace DoraCollector.Api.Read;

/// <summary>
/// Reads query parameters that arrive as text; each bad value adds a message to
/// <see cref="Problems"/> that starts with the parameter's name, so a 400 says exactly what to fix.
/// </summary>
internal sealed partial class QueryReader
{
    /// <summary>Where the messages go (with those of checks made beside the reader's).</summary>
    public RequestProblems Problems { get; } = new();

    /// <summary>An exact name (service, team, environment); absent is no filter, empty is a mistake.</summary>
    public string? Name(string? value, string parameter)
    {
        if (value is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            Problems.Add(parameter, $"{parameter} must not be empty; leave it out to match every {parameter}");
            return null;
        }

        return value;
    }

    public string? OneOf(string? value, string parameter, IReadOnlyList<string> allowed)
    {
        if (value is null || allowed.Contains(value, StringComparer.Ordinal))
        {
            return value;
        }

        Problems.Add(parameter, $"{parameter} '{value}' is not one of {string.Join(", ", allowed)}");
        return null;
    }

    public bool Boolean(string? value, string parameter, bool fallback)
    {
        if (value is null)
        {
            return fallback;
        }

        if (bool.TryParse(value, out var result))
        {
            return result;
        }

        Problems.Add(parameter, $"{parameter} '{value}' is not true or false");
        return fallback;
    }

    public int Integer(string? value, string parameter, int fallback, int min, int max)
    {
        if (value is null)
        {
            return fallback;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var result) && result >= min && result <= max)
        {
            return result;
        }

        Problems.Add(parameter, max == int.MaxValue
            ? $"{parameter} '{value}' is not a whole number of at least {min}"
            : $"{parameter} '{value}' is not a whole number between {min} and {max}");
        return fallback;
    }

    /// <summary>An ISO-8601 date or instant; without an offset it is read as UTC.</summary>
    public DateTimeOffset? Instant(string? value, string parameter)
    {
        if (value is null)
        {
            return null;
        }

        if (IsoDate().IsMatch(value)
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var result))
        {
            return result;
        }

        Problems.Add(parameter, $"{parameter} '{value}' is not an ISO-8601 instant such as 2026-03-01T00:00:00Z");
        return null;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:?\d{2})?)?$")]
    private static partial Regex IsoDate();
}
