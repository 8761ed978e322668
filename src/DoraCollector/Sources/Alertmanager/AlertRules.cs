using DoraCollector.Projection;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.Alertmanager;

/// <summary>
/// The incident rules of docs/metrics.md ("What is counted") for an Alertmanager alert, from
/// the options: which alerts qualify (every matcher holds), which labels may name the service and the environment, and
/// what the incident signal shows. Pure: the catalog lookup is the mapper's.
/// </summary>
internal sealed class AlertRules
{
    /// <summary>An explicit link to the deployment that caused the alert, as a deployment id.</summary>
    public const string DeploymentLabel = "deployment";

    /// <summary>An explicit link to the deployed revision (commit SHA, full or abbreviated) that caused it.</summary>
    public const string RevisionLabel = "revision";

    public AlertRules(IOptions<AlertmanagerOptions> options)
        : this(options.Value)
    {
    }

    /// <exception cref="FormatException">A matcher does not parse (the options validator reports it at start).</exception>
    public AlertRules(AlertmanagerOptions options)
    {
        Matchers = options.EffectiveMatchers.SelectMany(LabelMatcherParser.Parse).ToList();
        ServiceLabels = options.EffectiveServiceLabels.Select(l => l.Trim()).ToList();
        EnvironmentLabels = options.EffectiveEnvironmentLabels.Select(l => l.Trim()).ToList();
        ClusterLabel = string.IsNullOrWhiteSpace(options.ClusterLabel) ? null : options.ClusterLabel.Trim();
    }

    public IReadOnlyList<LabelMatcher> Matchers { get; }

    public IReadOnlyList<string> ServiceLabels { get; }

    public IReadOnlyList<string> EnvironmentLabels { get; }

    /// <summary>The label naming the cluster; null when alerts name none.</summary>
    public string? ClusterLabel { get; }

    /// <summary>
    /// The matchers to send as <c>filter</c> to <c>GET /api/v2/alerts</c>, so Alertmanager lists
    /// fewer alerts. Its filter, unlike routing, drops alerts missing the label for <c>=</c> and
    /// <c>=~</c> even when the value would match the empty string; those matchers are applied
    /// here only, so the API never hides an alert that qualifies.
    /// </summary>
    public IReadOnlyList<LabelMatcher> ApiFilter => Matchers
        .Where(m => m.Operator is MatchOperator.NotEqual or MatchOperator.NotRegex || !m.Matches(""))
        .ToList();

    public bool Qualifies(AlertmanagerAlert alert) => LabelMatcher.All(Matchers, alert.Labels);

    /// <summary>The values of the service labels the alert carries, in the configured order.</summary>
    public IReadOnlyList<string> ServiceNames(AlertmanagerAlert alert) => ServiceLabels
        .Select(label => alert.Labels.TryGetValue(label, out var value) ? value.Trim() : "")
        .Where(value => value.Length > 0)
        .Distinct(StringComparer.Ordinal)
        .ToList();

    /// <summary>
    /// What the alert calls its service, kept on a signal no service was found for: the first
    /// service label's value, else the alert name, else the fingerprint, so an operator can tell
    /// which alerts need a label or a catalog entry.
    /// </summary>
    public string ServiceHint(AlertmanagerAlert alert) =>
        ServiceNames(alert).FirstOrDefault() ?? Label(alert, "alertname") ?? alert.Fingerprint;

    /// <summary>The first environment label's value; null when none is set (attribution then looks at production).</summary>
    public string? Environment(AlertmanagerAlert alert) =>
        EnvironmentLabels.Select(label => Label(alert, label)).FirstOrDefault(value => value is not null);

    /// <summary>
    /// The cluster the alert was seen on: the cluster label's value when it is a cluster name
    /// (letters, digits, <c>.</c>, <c>_</c>, <c>-</c>, at most 100), as the generic API takes it;
    /// empty otherwise (an ARN or a URL names no cluster the deployments know: the alert still counts).
    /// </summary>
    public string Cluster(AlertmanagerAlert alert) =>
        ClusterLabel is { } label && Label(alert, label) is { } value && ClusterNames.IsValid(value) ? value : "";

    /// <summary>The <c>summary</c> annotation, else the alert name.</summary>
    public static string? Title(AlertmanagerAlert alert) =>
        Clip(alert.Annotations.TryGetValue("summary", out var summary) && !string.IsNullOrWhiteSpace(summary)
            ? summary.Trim()
            : Label(alert, "alertname"), 500);

    public static string? Severity(AlertmanagerAlert alert) => Clip(Label(alert, "severity"), 50);

    public static string? DeploymentRef(AlertmanagerAlert alert) => Label(alert, DeploymentLabel);

    public static string? RevisionRef(AlertmanagerAlert alert) => Label(alert, RevisionLabel);

    private static string? Label(AlertmanagerAlert alert, string name) =>
        alert.Labels.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static string? Clip(string? text, int length) => text is null || text.Length <= length ? text : text[..length];
}
