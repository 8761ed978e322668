namespace DoraCollector.Simulator.Truth;

/// <summary>
/// Applies the definitions of docs/metrics.md to a <see cref="Timeline"/> as facts, with code of
/// its own (it shares nothing with the collector): rollout attempts become deployments (retries
/// collapse, redeploys are set aside, rollbacks found from the commit graph and the history),
/// deployments bring changes (commits reachable from their revision and not from the one they
/// replaced, by pull request; the first of a stream brings its head only), alerts become
/// incidents (overlaps merged, attributed by the window or an explicit link), and every
/// deployment is judged failed, rework and recovered by the rules.
/// </summary>
internal static class TruthEngine
{
    public static TruthProjection Project(Timeline timeline, DateTimeOffset now, TruthRules rules)
    {
        var catalog = timeline.Services.ToDictionary(s => s.Name, StringComparer.Ordinal);
        var streams = timeline.Attempts
            .Where(a => a.FinishedAt <= now)
            .GroupBy(a => (a.Service, a.Environment))
            .OrderBy(g => g.Key.Service, StringComparer.Ordinal).ThenBy(g => g.Key.Environment, StringComparer.Ordinal)
            .Select(g => (g.Key.Service, g.Key.Environment, Attempts: g.OrderBy(a => a.FinishedAt).ThenBy(a => a.Sequence).ToList()))
            .Select(g =>
            {
                var repository = catalog.TryGetValue(g.Service, out var entry) && entry.Repository is { } name
                    ? timeline.Repositories.GetValueOrDefault(name)
                    : null;
                // Attempts that name their cluster follow the rules of several clusters; without, one implicit cluster, as always.
                var stream = g.Attempts.Any(a => a.Cluster is not null)
                    ? ClusterStream.Build(g.Service, g.Environment, g.Attempts, repository)
                    : Build(g.Service, g.Environment, g.Attempts);
                if (!g.Attempts.Any(a => a.Cluster is not null))
                {
                    DetectRollbacks(stream, repository);
                }

                ResolveChanges(stream, repository, entry?.Path, rules);
                return (g.Service, Stream: stream);
            })
            .ToList();

        var signals = timeline.Alerts.Where(a => a.StartsAt <= now).OrderBy(a => a.StartsAt).ThenBy(a => a.Sequence)
            .Select(a => Signal(a, now, catalog, rules)).OfType<TruthSignal>().ToList();
        var deployments = streams.SelectMany(s => s.Stream).ToList();
        var incidents = new List<TruthIncident>();
        foreach (var service in signals.Where(s => s.Service is not null).GroupBy(s => s.Service!))
        {
            var merged = Merge(service.Key, service, rules.IncidentMergeGap);
            Attribute(merged, deployments.Where(d => d.Service == service.Key).ToList(), rules);
            incidents.AddRange(merged);
        }

        foreach (var (_, stream) in streams)
        {
            Judge(stream);
        }

        return new TruthProjection(now, timeline.Services, deployments, incidents, signals.Where(s => s.Service is null).ToList());
    }

    /// <summary>
    /// Attempts of a revision that follow a failed attempt of it are one deployment (live when a
    /// later one succeeds, finishing then); an attempt of the revision already live is a redeploy.
    /// </summary>
    private static List<TruthDeployment> Build(string service, string environment, IEnumerable<AttemptFact> attempts)
    {
        var stream = new List<TruthDeployment>();
        TruthDeployment? live = null;
        TruthDeployment? retrying = null;
        foreach (var attempt in attempts)
        {
            if (retrying is not null && SameRevision(attempt.Revision, retrying.Revision))
            {
                retrying.Attempts.Add(attempt);
                retrying.FinishedAt = attempt.FinishedAt;
                if (attempt.Succeeded)
                {
                    (retrying.Succeeded, retrying.Previous, live, retrying) = (true, live, retrying, null);
                }

                continue;
            }

            retrying = null;
            var deployment = new TruthDeployment(service, environment, attempt);
            stream.Add(deployment);
            if (live is not null && SameRevision(attempt.Revision, live.Revision))
            {
                deployment.IsRedeploy = true;
            }
            else if (attempt.Succeeded)
            {
                (deployment.Previous, live) = (live, deployment);
            }
            else
            {
                retrying = deployment;
            }
        }

        return stream;
    }

    /// <summary>A rollback: the source says so, or its revision first went live before the replaced one's, or is its ancestor.</summary>
    private static void DetectRollbacks(List<TruthDeployment> stream, RepositoryHistory? repository)
    {
        var firstLive = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);
        foreach (var deployment in stream.Where(d => d.IsLive))
        {
            if (deployment.Previous is { } replaced
                && (deployment.Attempts.Any(a => a.Succeeded && a.RollbackHint)
                    || (firstLive.TryGetValue(deployment.Revision, out var mine) && firstLive.TryGetValue(replaced.Revision, out var theirs) && mine < theirs)
                    || (repository is not null && CommitWalk.IsAncestor(repository, deployment.Revision, replaced.Revision))))
            {
                deployment.IsRollback = true;
                replaced.RolledBackBy ??= deployment;
            }

            firstLive.TryAdd(deployment.Revision, deployment.FinishedAt);
        }
    }

    /// <summary>Each live deployment's changes; a change counts only for the first deployment that brings it.</summary>
    private static void ResolveChanges(List<TruthDeployment> stream, RepositoryHistory? repository, string? path, TruthRules rules)
    {
        if (repository is null)
        {
            return;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var deployment in stream.Where(d => d.IsLive))
        {
            var head = repository.Commits.ContainsKey(deployment.Revision) ? deployment.Revision : null;
            if (head is null)
            {
                continue;
            }

            var commits = deployment.Previous is null
                ? [head]
                : CommitWalk.Between(repository, head, deployment.Previous.Revision).Where(c => path is null || Touches(repository.Commits[c], path)).ToList();
            foreach (var change in CommitWalk.Changes(repository, commits, keepMerges: deployment.Previous is null))
            {
                deployment.Changes.Add(new TruthChange(change.Key, change.FirstCommitAt, change.OpenedAt, change.MergedAt,
                    change.Labels.Any(rules.HotfixLabels.Contains), change.Messages.Any(m => rules.RevertPattern.IsMatch(m)), seen.Add(change.Key)));
            }
        }
    }

    private static bool Touches(CommitFact commit, string path) =>
        commit.Files.Any(f => f == path || f.StartsWith(path + "/", StringComparison.Ordinal));

    /// <summary>
    /// An alert's firing period, if it qualifies: the service is the first service label value a
    /// catalog alias or a service name knows (none: unattributed), the environment the first
    /// environment label.
    /// </summary>
    private static TruthSignal? Signal(AlertFact alert, DateTimeOffset now, Dictionary<string, CatalogEntry> catalog, TruthRules rules)
    {
        if (!rules.QualifyingSeverity.IsMatch(alert.Labels.GetValueOrDefault("severity") ?? ""))
        {
            return null;
        }

        string? service = null;
        foreach (var value in rules.ServiceLabels.Select(l => alert.Labels.GetValueOrDefault(l)?.Trim()).OfType<string>().Where(v => v.Length > 0))
        {
            service = catalog.Values.FirstOrDefault(s => s.AlertLabelValues.Contains(value, StringComparer.Ordinal))?.Name
                      ?? (catalog.ContainsKey(value) ? value : null);
            if (service is not null)
            {
                break;
            }
        }

        var environment = rules.EnvironmentLabels.Select(l => alert.Labels.GetValueOrDefault(l)?.Trim()).FirstOrDefault(v => !string.IsNullOrEmpty(v));
        // A cluster label's value names a cluster when it is one (letters, digits, '.', '_', '-', at most 100).
        var cluster = alert.Labels.GetValueOrDefault(rules.ClusterLabel)?.Trim() is { Length: > 0 and <= 100 } named
                      && named.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-') ? named : null;
        // Signals are kept to the millisecond.
        var started = new DateTimeOffset(alert.StartsAt.UtcTicks - (alert.StartsAt.UtcTicks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        return new TruthSignal($"{alert.Fingerprint}@{started:O}", service, environment, started,
            alert.EndsAt is { } ends && ends <= now ? ends : null, alert.Labels.GetValueOrDefault("revision"), cluster);
    }

    /// <summary>Signals of one service in one environment that overlap (or come closer than the gap) are one incident.</summary>
    private static List<TruthIncident> Merge(string service, IEnumerable<TruthSignal> signals, TimeSpan gap)
    {
        var incidents = new List<TruthIncident>();
        foreach (var environment in signals.GroupBy(s => s.Environment))
        {
            TruthIncident? current = null;
            DateTimeOffset? end = null;
            foreach (var signal in environment.OrderBy(s => s.StartedAt))
            {
                if (current is not null && (end is null || signal.StartedAt <= end.Value + gap))
                {
                    current.Signals.Add(signal);
                    end = end is null || signal.ResolvedAt is null ? null : signal.ResolvedAt > end ? signal.ResolvedAt : end;
                    continue;
                }

                current = new TruthIncident(service, signal);
                end = signal.ResolvedAt;
                incidents.Add(current);
            }
        }

        return incidents.OrderBy(i => i.StartedAt).ToList();
    }

    /// <summary>
    /// An incident belongs to the latest live deployment of its service and environment that
    /// finished before it started, at most the attribution window earlier; a revision the alert
    /// names wins, whatever the time. An incident whose alerts name one cluster looks in that
    /// cluster's stream first: the deployment whose attempt went live there latest before it
    /// started, within the window.
    /// </summary>
    private static void Attribute(List<TruthIncident> incidents, List<TruthDeployment> deployments, TruthRules rules)
    {
        foreach (var incident in incidents)
        {
            var candidates = deployments
                .Where(d => d.IsLive && (incident.Environment is { } environment ? d.Environment == environment : rules.IsProduction(d.Environment)))
                .OrderBy(d => d.FinishedAt)
                .ToList();
            var deployment = Linked(incident, deployments, candidates)
                             ?? OnCluster(incident, candidates, rules.AttributionWindow)
                             ?? candidates.LastOrDefault(d => d.FinishedAt < incident.StartedAt && incident.StartedAt - d.FinishedAt <= rules.AttributionWindow);
            incident.Environment ??= deployment?.Environment ?? rules.DefaultIncidentEnvironment;
            if (deployment is not null)
            {
                incident.Deployment = deployment;
                deployment.Incidents.Add(incident);
            }
        }
    }

    // The successful attempts on the incident's cluster of the live deployments: each is where that
    // deployment went live on the cluster (a later attempt of its revision there is a redeploy).
    private static TruthDeployment? OnCluster(TruthIncident incident, List<TruthDeployment> candidates, TimeSpan window) =>
        incident.Cluster is not { } cluster
            ? null
            : candidates
                .SelectMany(d => d.Attempts.Where(a => a.Succeeded && a.Cluster == cluster)
                    .Select(a => (Deployment: d, a.FinishedAt, First: d.Attempts.First(f => f.Cluster == cluster).Sequence)))
                .Where(r => r.FinishedAt < incident.StartedAt && incident.StartedAt - r.FinishedAt <= window)
                .OrderBy(r => r.FinishedAt).ThenBy(r => r.First)
                .Select(r => r.Deployment)
                .LastOrDefault();

    private static TruthDeployment? Linked(TruthIncident incident, List<TruthDeployment> all, List<TruthDeployment> candidates)
    {
        foreach (var signal in incident.Signals.OrderBy(s => s.StartedAt).Where(s => !string.IsNullOrWhiteSpace(s.RevisionRef)))
        {
            var pool = candidates.Count > 0 ? candidates : all.Where(d => d.IsLive).OrderBy(d => d.FinishedAt).ToList();
            var matching = pool.Where(d => SameRevision(d.Revision, signal.RevisionRef!)).ToList();
            if ((matching.LastOrDefault(d => d.FinishedAt <= incident.StartedAt) ?? matching.LastOrDefault()) is { } linked)
            {
                return linked;
            }
        }

        return null;
    }

    /// <summary>Failure, rework and recovery of each deployment of a stream.</summary>
    private static void Judge(List<TruthDeployment> stream)
    {
        var counted = stream.Where(d => !d.IsRedeploy).ToList();
        var live = counted.Where(d => d.Succeeded).ToList();
        foreach (var deployment in counted)
        {
            var next = live.FirstOrDefault(d => After(d, deployment));
            deployment.FailureReason = !deployment.Succeeded || deployment.FailedOnCluster is not null ? "outcome"
                : deployment.RolledBackBy is not null ? "rolled_back"
                : deployment.Incidents.Count > 0 ? "incident"
                : next?.Changes.Any(c => c.IsFirst && c.IsRevert) == true ? "revert"
                : next?.Changes.Any(c => c.IsFirst && c.IsHotfix) == true ? "hotfix"
                : null;
            deployment.IsFailed = deployment.FailureReason is not null;
        }

        foreach (var deployment in live)
        {
            deployment.ReworkReason = deployment.IsRollback ? "rollback"
                : deployment.Changes.Any(c => c.IsFirst && c.IsRevert) ? "revert"
                : deployment.Changes.Any(c => c.IsFirst && c.IsHotfix) ? "hotfix"
                : deployment.Previous is { IsFailed: true } previous && previous.Incidents.Any(i => i.IsOpenAt(deployment.FinishedAt)) ? "incident_fix"
                : null;
        }

        foreach (var failed in counted.Where(d => d.IsFailed))
        {
            DateTimeOffset? resolved = failed.Incidents.Count > 0 && failed.Incidents.All(i => i.ResolvedAt is not null) ? failed.Incidents.Max(i => i.ResolvedAt) : null;
            var good = live.FirstOrDefault(d => After(d, failed) && !d.IsFailed)?.FinishedAt;
            failed.RecoveredAt = resolved is { } r && good is { } g ? (r <= g ? r : g) : resolved ?? good;
        }
    }

    // Later in the stream: finished later, or at the same instant but reported after.
    private static bool After(TruthDeployment candidate, TruthDeployment deployment) =>
        !ReferenceEquals(candidate, deployment) && (candidate.FinishedAt > deployment.FinishedAt
            || (candidate.FinishedAt == deployment.FinishedAt && candidate.Attempts[0].Sequence > deployment.Attempts[0].Sequence));

    /// <summary>The same commit: equal without case, or one an abbreviation (seven or more hexadecimal digits) of the other.</summary>
    public static bool SameRevision(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var (shorter, longer) = a.Length <= b.Length ? (a, b) : (b, a);
        return shorter.Length >= 7 && $"{a}{b}".All(char.IsAsciiHexDigit) && longer.StartsWith(shorter, StringComparison.OrdinalIgnoreCase);
    }
}
