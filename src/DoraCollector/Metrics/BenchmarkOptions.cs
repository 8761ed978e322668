namespace DoraCollector.Metrics;

/// <summary>
/// <c>Dora:Metrics:Benchmarks</c>: the performance-level bands. Defaults are the contiguous bands
/// of the 2023 State of DevOps report. A value at a band's edge belongs to the better band for
/// frequency (≥) and change failure rate (≤), to the worse one for durations (&lt;).
/// </summary>
internal sealed class BenchmarkOptions
{
    /// <summary>Deployments per period, as <c>count/duration</c>: elite ≥ 1/day, high ≥ 1/week, medium ≥ 1/month.</summary>
    public RateBands DeploymentFrequency { get; set; } = new() { Elite = "1/1d", High = "1/7d", Medium = "1/30d" };

    /// <summary>Median lead time: elite &lt; 1 day, high &lt; 1 week, medium &lt; 1 month.</summary>
    public DurationBands LeadTime { get; set; } = new()
    {
        Elite = TimeSpan.FromDays(1), High = TimeSpan.FromDays(7), Medium = TimeSpan.FromDays(30),
    };

    /// <summary>Change failure rate: elite ≤ 5 %, high ≤ 10 %, medium ≤ 15 %.</summary>
    public RatioBands ChangeFailureRate { get; set; } = new() { Elite = 0.05, High = 0.10, Medium = 0.15 };

    /// <summary>Median time to restore: elite &lt; 1 hour, high &lt; 1 day, medium &lt; 1 week.</summary>
    public DurationBands TimeToRestore { get; set; } = new()
    {
        Elite = TimeSpan.FromHours(1), High = TimeSpan.FromDays(1), Medium = TimeSpan.FromDays(7),
    };

    /// <summary>Median failed deployment recovery time: the same bands as time to restore.</summary>
    public DurationBands FailedDeploymentRecoveryTime { get; set; } = new()
    {
        Elite = TimeSpan.FromHours(1), High = TimeSpan.FromDays(1), Medium = TimeSpan.FromDays(7),
    };
}

internal sealed class RateBands
{
    public string Elite { get; set; } = "";
    public string High { get; set; } = "";
    public string Medium { get; set; } = "";

    /// <summary>Reads <c>count/duration</c> (<c>1/7d</c>, <c>2/1d</c>) as a rate per day.</summary>
    public static bool TryParsePerDay(string? text, out double perDay)
    {
        perDay = 0;
        var parts = text?.Split('/', 2, StringSplitOptions.TrimEntries);
        if (parts is not [var count, var period]
            || !double.TryParse(count, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n)
            || n <= 0
            || !Hosting.Duration.TryParse(period, out var duration)
            || duration <= TimeSpan.Zero)
        {
            return false;
        }

        perDay = n / duration.TotalDays;
        return true;
    }
}

internal sealed class DurationBands
{
    public TimeSpan Elite { get; set; }
    public TimeSpan High { get; set; }
    public TimeSpan Medium { get; set; }
}

internal sealed class RatioBands
{
    public double Elite { get; set; }
    public double High { get; set; }
    public double Medium { get; set; }
}
