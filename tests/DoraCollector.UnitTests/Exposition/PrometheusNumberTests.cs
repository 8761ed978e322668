using System.Globalization;
using System.Text;
using DoraCollector.Exposition;

namespace DoraCollector.UnitTests.Exposition;

public sealed class PrometheusNumberTests
{
    [Theory]
    [InlineData(1, "1")]
    [InlineData(0, "0")]
    [InlineData(-0.0, "0")]
    [InlineData(-1, "-1")]
    [InlineData(0.25, "0.25")]
    [InlineData(0.1, "0.1")]
    [InlineData(1.0 / 3, "0.3333333333333333")]
    [InlineData(123.456, "123.456")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(86400, "86400")]
    [InlineData(100000, "100000")]
    [InlineData(123456.7, "123456.7")]
    [InlineData(999999, "999999")]
    [InlineData(1e6, "1e+06")]
    [InlineData(1234567, "1.234567e+06")]
    [InlineData(2592000, "2.592e+06")]
    [InlineData(1763826821.123, "1.763826821123e+09")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e100, "1e+100")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.000123, "0.000123")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(1.5e-7, "1.5e-07")]
    [InlineData(-1.5e-7, "-1.5e-07")]
    [InlineData(double.MaxValue, "1.7976931348623157e+308")]
    [InlineData(double.Epsilon, "5e-324")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public void Formats_values_like_the_Go_client(double value, string expected) => Assert.Equal(expected, Format(value));

    [Fact]
    public void Every_formatted_value_reads_back_as_the_same_double()
    {
        var random = new Random(20260302);
        Span<byte> bits = stackalloc byte[8];
        for (var i = 0; i < 20_000; i++)
        {
            random.NextBytes(bits);
            var value = BitConverter.ToDouble(bits);
            if (!double.IsFinite(value))
            {
                continue;
            }

            var text = Format(value);
            Assert.Equal(value == 0 ? 0 : value, double.Parse(text, CultureInfo.InvariantCulture));
            Assert.True(text.Length <= PrometheusNumber.MaxLength, text);
        }
    }

    private static string Format(double value)
    {
        Span<byte> buffer = stackalloc byte[PrometheusNumber.MaxLength];
        return Encoding.ASCII.GetString(buffer[..PrometheusNumber.Format(value, buffer)]);
    }
}
