using System.Text.Json;
using System.Text.RegularExpressions;
using DoraCollector.Ingestion;

namespace DoraCollector.Sources.GitHub.Mapping;

/// <summary>
/// Issues carrying the incident label: opened is the start, closed the resolution. Labels
/// <c>service:&lt;name&gt;</c>, <c>environment:&lt;name&gt;</c> and <c>severity:&lt;level&gt;</c> say more; the body
/// may name what caused it (<c>Deployment: &lt;id&gt;</c>, <c>Revision: &lt;sha&gt;</c> or <c>root cause: &lt;sha&gt;</c>).
/// </summary>
internal static partial class IncidentMapping
{
    public static async Task<bool> MapAsync(string repository, RestIssue issue, string incidentLabel, long rawEventId, DomainWriter writer, CancellationToken ct)
    {
        var labels = (issue.Labels ?? []).Select(l => l.Name).OfType<string>().ToList();
        if (issue.PullRequest is { ValueKind: JsonValueKind.Object } || !labels.Contains(incidentLabel.Trim(), StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }

        var service = Labelled(labels, "service");
        var (serviceId, _) = await GitHubServices.ResolveAsync(writer, repository, service, ct);
        var closed = issue.State is "closed" or null ? issue.ClosedAt : null;
        await writer.UpsertSignalAsync(new SignalRow(
            "github", $"{repository.ToLowerInvariant()}#{issue.Number}", serviceId, service ?? repository.ToLowerInvariant(),
            Labelled(labels, "environment") ?? Labelled(labels, "env"), issue.Title, Labelled(labels, "severity"), issue.HtmlUrl,
            issue.CreatedAt, closed,
            ClosedBy: closed is null ? null : "source",
            DeploymentRef: Match(DeploymentLine(), issue.Body),
            RevisionRef: Match(RevisionLine(), issue.Body),
            LabelsJson: JsonSerializer.Serialize(labels),
            RawEventId: rawEventId), ct);
        return true;
    }

    private static string? Labelled(List<string> labels, string prefix) =>
        labels.Select(l => l.Split(':', 2, StringSplitOptions.TrimEntries))
            .FirstOrDefault(p => p.Length == 2 && p[1].Length > 0 && string.Equals(p[0], prefix, StringComparison.OrdinalIgnoreCase))?[1];

    private static string? Match(Regex pattern, string? body) =>
        body is not null && pattern.Match(body) is { Success: true } m ? m.Groups[1].Value.Trim() : null;

    [GeneratedRegex(@"^\s*(?:\*\*)?deployment(?:[ _-]?id)?(?:\*\*)?\s*[:=]\s*`?([A-Za-z0-9_.:/@#-]+)`?", RegexOptions.IgnoreCase | RegexOptions.Multiline, 1000)]
    private static partial Regex DeploymentLine();

    [GeneratedRegex(@"\b(?:revision|root[ -]cause|caused by|commit)(?:\*\*)?\s*[:=]?\s*`?([0-9a-f]{7,40})\b", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex RevisionLine();
}
