using System.ComponentModel;
using System.Globalization;

namespace DoraCollector.Hosting;

/// <summary>
/// Durations in configuration read the way operators write them: <c>90s</c>, <c>15m</c>,
/// <c>24h</c>, <c>7d</c>, or .NET's <c>d.hh:mm:ss</c>.
/// </summary>
internal static class Duration
{
    public const string Help = "use a duration such as 90s, 15m, 24h, 7d or d.hh:mm:ss";

    private static int _registered;

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

    /// <summary>Makes configuration binding of every <see cref="TimeSpan"/> accept these forms.</summary>
    public static void RegisterConverter()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            TypeDescriptor.AddAttributes(typeof(TimeSpan), new TypeConverterAttribute(typeof(DurationConverter)));
        }
    }

    private sealed class DurationConverter : TimeSpanConverter
    {
        public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
            value is string text
                ? TryParse(text, out var duration) ? duration : throw new FormatException(Help)
                : base.ConvertFrom(context, culture, value);
    }
}
