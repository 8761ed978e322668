using Microsoft.Extensions.Options;

namespace DoraCollector.Hosting;

/// <summary>
/// Collects option problems as one line each, prefixed with the full configuration key, so a
/// startup failure says exactly which setting to fix.
/// </summary>
internal sealed class OptionsErrors(string section)
{
    private readonly List<string> _errors = [];

    public void Add(string key, string message) => _errors.Add($"{section}:{key}: {message}");

    public void Check(bool ok, string key, string message)
    {
        if (!ok)
        {
            Add(key, message);
        }
    }

    public void CheckUrl(string? value, string key, bool required = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Check(!required, key, "is required");
            return;
        }

        var ok = Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
        Check(ok, key, $"'{value}' is not an absolute http(s) URL");
    }

    public void CheckPositive(TimeSpan value, string key) =>
        Check(value > TimeSpan.Zero, key, "must be a positive duration (e.g. 30s, 5m, 1h)");

    public ValidateOptionsResult Result =>
        _errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_errors);
}
