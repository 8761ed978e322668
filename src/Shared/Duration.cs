using System.Globalization;

// One duration parser for the service and the simulator, which does not reference the service:
// this file is compiled into both (linked source), each in its own namespace.
#if DORA_SIMULATOR
namespace DoraCollector.Simulator.Hosting;
#else
namespace DoraCollector.Hosting;
#endif

/// <summary>
/// Durations read the way operators write them: <c>90s</c>, <c>15m</c>, <c>24h</c>, <c>7d</c>,
/// <c>2w</c>, or .NET's <c>d.hh:mm:ss</c>.
/// </summary>
internal static partial class Duration
{
    public const string Help = "use a duration such as 90s, 15m, 24h, 7d, 2w or d.hh:mm:ss";

    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var unit = text[^1];
        if (char.IsLetter(unit))
        {
            if (!double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount)
                || amount < 0 || double.IsInfinity(amount))
            {
                return false;
            }

            double? seconds = unit switch
            {
                's' => amount,
                'm' => amount * 60,
                'h' => amount * 3600,
                'd' => amount * 86400,
                'w' => amount * 7 * 86400,
                _ => null,
            };
            if (seconds is null || seconds > TimeSpan.MaxValue.TotalSeconds)
            {
                return false;
            }

            value = TimeSpan.FromSeconds(seconds.Value);
            return true;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;
    }
}
