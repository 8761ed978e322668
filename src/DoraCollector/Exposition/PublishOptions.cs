namespace DoraCollector.Exposition;

/// <summary>
/// <c>Dora:Metrics:Publish</c>: which <c>dora_*</c> series <c>/metrics</c> carries, so a Prometheus
/// bill stays in budget. The JSON API and the reports always have everything. A key left unset
/// takes its profile's value; docs/metrics.md ("Publishing") has the table and the sizes.
/// </summary>
internal sealed class PublishOptions
{
    public const string Section = "Dora:Metrics:Publish";

    public PublishProfile Profile { get; set; } = PublishProfile.Standard;

    /// <summary><c>organization</c>, <c>team</c>, <c>service</c>.</summary>
    public List<string>? Scopes { get; set; }

    /// <summary>Windows of <c>Dora:Metrics:Windows</c> to publish.</summary>
    public List<string>? Windows { get; set; }

    /// <summary>Environments whose name matches are published; all by default.</summary>
    public string? Environments { get; set; }

    /// <summary>Quantiles (<c>0.5</c>, <c>0.9</c>) of lead time, time to restore and recovery time.</summary>
    public List<string>? Quantiles { get; set; }

    /// <summary>Quantiles of the coding, review and deploy parts of lead time; empty leaves the breakdown out.</summary>
    public List<string>? BreakdownQuantiles { get; set; }

    /// <summary>Scopes that get performance levels.</summary>
    public List<string>? LevelScopes { get; set; }

    /// <summary><c>Score</c>: one series per metric (4 elite … 1 low); <c>StateSet</c>: four 0/1 series per metric; <c>Both</c>.</summary>
    public LevelStyle? LevelStyle { get; set; }
}

internal enum PublishProfile
{
    /// <summary>At most 56 samples per service and environment with every family present.</summary>
    Standard,

    /// <summary>At most 20 samples per service and environment: one window, medians, levels for teams and the organisation.</summary>
    Lean,

    /// <summary>Everything the snapshot holds, levels both ways.</summary>
    Full,
}

internal enum LevelStyle
{
    Score,
    StateSet,
    Both,
}
