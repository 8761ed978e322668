using DoraCollector.Simulator.Truth;

namespace DoraCollector.UnitTests.Simulation;

/// <summary>Hand-written timelines for the truth computation: commits named like <c>c1</c>, attempts and alerts at given instants.</summary>
internal sealed class TimelineBuilder
{
    public const string Repository = "acme/shop";

    private long _sequence;

    public Timeline Timeline { get; } = new();

    private RepositoryHistory History => Timeline.Repository(Repository);

    public TimelineBuilder Service(string name, string team, string? path = null, params string[] alertValues)
    {
        Timeline.Services.Add(new CatalogEntry(name, team, Repository, path, alertValues));
        return this;
    }

    /// <summary>A 40-hex SHA for a short name.</summary>
    public static string Sha(string name) => name.PadRight(40, '0');

    public TimelineBuilder Commit(string name, DateTimeOffset authored, string[] parents, string? message = null, string[]? files = null,
        int? pullRequest = null, DateTimeOffset? committed = null)
    {
        History.Add(new CommitFact(Sha(name), parents.Select(Sha).ToList(), authored, committed ?? authored, message ?? $"change {name}",
            files ?? ["src/main.go"], pullRequest));
        return this;
    }

    /// <summary>A squash-merged pull request: its own commits (off the branch) and the squash commit that lands.</summary>
    public TimelineBuilder Squash(int number, string squash, string parent, (string Name, DateTimeOffset At)[] own, DateTimeOffset opened, DateTimeOffset merged,
        string? title = null, string[]? labels = null, string[]? files = null)
    {
        foreach (var (name, at) in own)
        {
            Commit(name, at, [parent], files: files);
        }

        Commit(squash, merged, [parent], $"{title ?? $"Pull request {number}"} (#{number})", files, number);
        History.Add(new PullRequestFact(number, title ?? $"Pull request {number}", opened, merged, Sha(squash), own.Select(o => Sha(o.Name)).ToList(),
            labels ?? []));
        return this;
    }

    public TimelineBuilder Attempt(string service, string revision, DateTimeOffset finished, bool succeeded = true, string environment = "production",
        bool rollbackHint = false, string? cluster = null)
    {
        Timeline.Attempts.Add(new AttemptFact(service, environment, Sha(revision), succeeded, finished.AddMinutes(-2), finished, rollbackHint, _sequence++,
            cluster));
        return this;
    }

    public TimelineBuilder Alert(string fingerprint, DateTimeOffset starts, DateTimeOffset? ends, string? service = "checkout", string severity = "critical",
        string? environment = "production", string label = "service", string? revision = null, string? cluster = null)
    {
        var labels = new Dictionary<string, string> { ["alertname"] = "HighErrorRate", ["severity"] = severity };
        if (service is not null)
        {
            labels[label] = service;
        }

        if (environment is not null)
        {
            labels["environment"] = environment;
        }

        if (revision is not null)
        {
            labels["revision"] = Sha(revision)[..12];
        }

        if (cluster is not null)
        {
            labels["cluster"] = cluster;
        }

        Timeline.Alerts.Add(new AlertFact(fingerprint, labels, starts, _sequence++) { EndsAt = ends });
        return this;
    }
}
