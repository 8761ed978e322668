using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DoraCollector.Simulator;

/// <summary>
/// The DORA values a collector must publish for the simulated organisation at
/// <see cref="ComputedAt"/>, computed by the simulator from its own timeline. <see cref="ToJson"/>
/// has the shape of the collector's <c>GET /api/v1/metrics</c>; <see cref="Totals"/> are the
/// all-time counts of <c>dora_deployments_total</c>, <see cref="Latest"/> the instants of the
/// <c>dora_last_*_timestamp_seconds</c> markers.
/// </summary>
public sealed record ExpectedMetrics(
    DateTimeOffset ComputedAt,
    IReadOnlyList<string> Windows,
    IReadOnlyList<ExpectedSeries> Series,
    ExpectedDataQuality DataQuality)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new InstantConverter() },
    };

    /// <summary>Deployments by outcome since records began, per series (no window).</summary>
    [JsonIgnore]
    public IReadOnlyList<ExpectedTotal> Totals { get; init; } = [];

    /// <summary>The latest live deployment and incident start per service and environment (no window).</summary>
    [JsonIgnore]
    public IReadOnlyList<ExpectedLatest> Latest { get; init; } = [];

    /// <summary>The series of one scope, names and window, if there is one.</summary>
    public ExpectedSeries? Find(string scope, string? service, string? team, string environment, string window) =>
        Series.FirstOrDefault(s => s.Scope == scope && s.Service == service && s.Team == team && s.Environment == environment && s.Window == window);

    /// <summary>The values as <c>GET /api/v1/metrics</c> returns them (camelCase; no data is <c>null</c>).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    private sealed class InstantConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString(value.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-ddTHH:mm:ssZ" : "yyyy-MM-ddTHH:mm:ss.FFFFFFFZ",
                CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// The metrics of a service, team or the organisation in one environment and window, named as in
/// <c>GET /api/v1/metrics</c>. Durations are seconds; a value without data is null.
/// </summary>
public sealed record ExpectedSeries(
    string Scope,
    string? Service,
    string? Team,
    string Environment,
    string Window,
    double DeploymentFrequencyPerDay,
    double DeploymentDaysRatio,
    ExpectedQuantiles? LeadTimeForChanges,
    ExpectedQuantiles? LeadTimeCoding,
    ExpectedQuantiles? LeadTimeReview,
    ExpectedQuantiles? LeadTimeDeploy,
    double? ChangeFailureRate,
    ExpectedQuantiles? TimeToRestore,
    ExpectedQuantiles? FailedDeploymentRecoveryTime,
    double? ReworkRate,
    ExpectedDeploymentCounts Deployments,
    int Changes,
    ExpectedIncidentCounts Incidents,
    int DiscardedLeadTimes,
    IReadOnlyDictionary<string, string> Levels);

/// <summary>Interpolated median and 90th percentile, in seconds.</summary>
public sealed record ExpectedQuantiles(double P50, double P90);

/// <summary>Deployments by outcome: a partition.</summary>
public sealed record ExpectedDeploymentCounts(int Success, int Failed, int RolloutFailed, int Redeploy);

public sealed record ExpectedIncidentCounts(int Open, int Resolved);

/// <summary>Over the longest window: alerts no service could be found for, and lead times left out (zero or negative).</summary>
public sealed record ExpectedDataQuality(int UnattributedIncidents, int DiscardedLeadTimes);

/// <summary>
/// What <c>dora_last_deployment_timestamp_seconds</c> and <c>dora_last_incident_start_timestamp_seconds</c>
/// publish for a service in an environment: null when it has no live deployment or no incident.
/// </summary>
public sealed record ExpectedLatest(string Service, string? Team, string Environment, DateTimeOffset? DeploymentFinishedAt, DateTimeOffset? IncidentStartedAt);

/// <summary>All-time deployment counts of a series, as <c>dora_deployments_total</c> publishes them.</summary>
public sealed record ExpectedTotal(string Scope, string? Service, string? Team, string Environment, ExpectedDeploymentCounts Deployments);
