using System.Globalization;

namespace DoraCollector.Benchmarks;

/// <summary>The command line: <c>--name value</c> options and <c>--flag</c> switches.</summary>
internal sealed class Arguments(string[] args)
{
    public bool Has(string name) => Array.IndexOf(args, name) >= 0;

    /// <summary>The value after <paramref name="name"/>; null when absent, empty for a switch.</summary>
    public string? Value(string name)
    {
        var at = Array.IndexOf(args, name);
        return at < 0 ? null : at + 1 < args.Length && !args[at + 1].StartsWith("--", StringComparison.Ordinal) ? args[at + 1] : "";
    }

    /// <summary>Every <c>name key=value</c> given, in order.</summary>
    public IEnumerable<(string Key, string Value)> Pairs(string name)
    {
        for (var i = 0; i + 1 < args.Length; i++)
        {
            if (args[i] == name && args[i + 1].Split('=', 2) is [var key, var value])
            {
                yield return (key, value);
            }
        }
    }

    public int Number(string name, int fallback) =>
        Value(name) is { Length: > 0 } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public double Decimal(string name, double fallback) =>
        Value(name) is { Length: > 0 } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;
}
