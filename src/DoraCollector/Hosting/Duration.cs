using System.ComponentModel;
using System.Globalization;

namespace DoraCollector.Hosting;

/// <summary>Configuration binding of every <see cref="TimeSpan"/> through the one duration parser (src/Shared/Duration.cs).</summary>
internal static partial class Duration
{
    private static int _registered;

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
