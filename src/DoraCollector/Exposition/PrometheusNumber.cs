using System.Globalization;

namespace DoraCollector.Exposition;

/// <summary>
/// Sample values written the way the Go client writes them (<c>strconv.FormatFloat(v, 'g', -1, 64)</c>):
/// the shortest digits that round-trip, plain between 1e-4 and 1e6 (<c>0.25</c>, <c>86400</c>) and
/// exponent form outside (<c>1.5e-07</c>, <c>2.592e+06</c>), with <c>NaN</c>, <c>+Inf</c> and <c>-Inf</c>.
/// Matching Go keeps the output byte-comparable with what Prometheus users see from other exporters.
/// </summary>
internal static class PrometheusNumber
{
    /// <summary>Enough for any double: 17 digits, sign, point and a four-character exponent.</summary>
    public const int MaxLength = 32;

    // Go switches to the exponent form at 10^6 when asked for the shortest representation.
    private const int ExponentThreshold = 6;

    public static int Format(double value, Span<byte> destination)
    {
        if (double.IsNaN(value))
        {
            return Copy("NaN"u8, destination);
        }

        if (double.IsInfinity(value))
        {
            return Copy(value > 0 ? "+Inf"u8 : "-Inf"u8, destination);
        }

        if (value == 0)
        {
            return Copy("0"u8, destination);
        }

        // .NET's "R" gives the same shortest round-trip digits as Go; only the layout differs.
        Span<byte> shortest = stackalloc byte[MaxLength];
        if (!value.TryFormat(shortest, out var length, "R", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"cannot format {value}");
        }

        Span<byte> digits = stackalloc byte[MaxLength];
        var (count, pointAt) = Decompose(shortest[..length], digits);
        var written = 0;
        if (value < 0)
        {
            destination[written++] = (byte)'-';
        }

        var exponent = pointAt - 1;
        return exponent is < -4 or >= ExponentThreshold
            ? written + WriteExponent(digits[..count], exponent, destination[written..])
            : written + WritePlain(digits[..count], pointAt, destination[written..]);
    }

    /// <summary>
    /// Splits .NET's "R" text into significant digits (no leading or trailing zeros) and the
    /// position of the decimal point: the value is 0.d1d2d3... × 10^pointAt.
    /// </summary>
    private static (int Count, int PointAt) Decompose(ReadOnlySpan<byte> text, Span<byte> digits)
    {
        var count = 0;
        var pointAt = 0;
        var afterPoint = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '-')
            {
                continue;
            }

            if (c == '.')
            {
                afterPoint = true;
                continue;
            }

            if (c is (byte)'E' or (byte)'e')
            {
                pointAt += int.Parse(text[(i + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                break;
            }

            if (count == 0 && c == '0')
            {
                // A leading zero: before the point it means nothing, after it it shifts the point.
                pointAt -= afterPoint ? 1 : 0;
                continue;
            }

            digits[count++] = c;
            pointAt += afterPoint ? 0 : 1;
        }

        while (count > 1 && digits[count - 1] == '0')
        {
            count--;
        }

        return (count, pointAt);
    }

    private static int WriteExponent(ReadOnlySpan<byte> digits, int exponent, Span<byte> destination)
    {
        var written = 0;
        destination[written++] = digits[0];
        if (digits.Length > 1)
        {
            destination[written++] = (byte)'.';
            written += Copy(digits[1..], destination[written..]);
        }

        destination[written++] = (byte)'e';
        destination[written++] = exponent < 0 ? (byte)'-' : (byte)'+';
        var magnitude = Math.Abs(exponent);

        // Go writes at least two exponent digits: 1e+06, 1.5e-07, 5e-324.
        if (magnitude < 10)
        {
            destination[written++] = (byte)'0';
        }

        magnitude.TryFormat(destination[written..], out var exponentLength, default, CultureInfo.InvariantCulture);
        return written + exponentLength;
    }

    private static int WritePlain(ReadOnlySpan<byte> digits, int pointAt, Span<byte> destination)
    {
        var written = 0;
        if (pointAt <= 0)
        {
            destination[written++] = (byte)'0';
        }
        else
        {
            for (var i = 0; i < pointAt; i++)
            {
                destination[written++] = i < digits.Length ? digits[i] : (byte)'0';
            }
        }

        var fraction = digits.Length - pointAt;
        if (fraction > 0)
        {
            destination[written++] = (byte)'.';
            for (var i = pointAt; i < digits.Length; i++)
            {
                destination[written++] = i < 0 ? (byte)'0' : digits[i];
            }
        }

        return written;
    }

    private static int Copy(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        source.CopyTo(destination);
        return source.Length;
    }
}
