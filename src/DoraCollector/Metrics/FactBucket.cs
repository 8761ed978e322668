namespace DoraCollector.Metrics;

/// <summary>
/// The facts of one service and environment in the compact form the calculator measures: value
/// structs of UTC ticks, each array sorted by its time, so a window is a slice found by binary
/// search. A year of 5,000 services' 90-day facts (≈600,000 deployments, ≈1,400,000 changes) is
/// about 70 MB this way, against several hundred as records.
/// </summary>
internal sealed class FactBucket(int serviceId, string environment, DeploymentEntry[] deployments, ChangeEntry[] changes, IncidentEntry[] incidents)
{
    public int ServiceId => serviceId;

    public string Environment => environment;

    /// <summary>Sorted by <see cref="DeploymentEntry.Finished"/>.</summary>
    public DeploymentEntry[] Deployments => deployments;

    /// <summary>Sorted by <see cref="ChangeEntry.Deployed"/>.</summary>
    public ChangeEntry[] Changes => changes;

    /// <summary>Sorted by <see cref="IncidentEntry.Started"/>.</summary>
    public IncidentEntry[] Incidents => incidents;

    public static FactBucket Of(int serviceId, string environment, List<DeploymentEntry> deployments, List<ChangeEntry> changes, List<IncidentEntry> incidents)
    {
        deployments.Sort(static (a, b) => a.Finished.CompareTo(b.Finished));
        changes.Sort(static (a, b) => a.Deployed.CompareTo(b.Deployed));
        incidents.Sort(static (a, b) => a.Started.CompareTo(b.Started));
        return new FactBucket(serviceId, environment, [.. deployments], [.. changes], [.. incidents]);
    }

    /// <summary>Groups the facts of a computation by service and environment; every known series gets a bucket, even empty.</summary>
    public static List<FactBucket> From(MetricFacts facts, IEnumerable<(int ServiceId, string Environment)> knownSeries)
    {
        var lists = new Dictionary<(int, string), (List<DeploymentEntry> D, List<ChangeEntry> C, List<IncidentEntry> I)>();
        (List<DeploymentEntry> D, List<ChangeEntry> C, List<IncidentEntry> I) ListsOf(int id, string environment) =>
            lists.TryGetValue((id, environment), out var l) ? l : lists[(id, environment)] = ([], [], []);
        foreach (var (id, environment) in knownSeries)
        {
            ListsOf(id, environment);
        }

        foreach (var d in facts.Deployments)
        {
            ListsOf(d.ServiceId, d.Environment).D.Add(DeploymentEntry.From(d));
        }

        foreach (var c in facts.Changes)
        {
            ListsOf(c.ServiceId, c.Environment).C.Add(new ChangeEntry(c.DeployedAt.UtcTicks, c.LeadTime));
        }

        foreach (var i in facts.Incidents)
        {
            ListsOf(i.ServiceId, i.Environment).I.Add(new IncidentEntry(i.StartedAt.UtcTicks, i.ResolvedAt?.UtcTicks ?? IncidentEntry.Open));
        }

        return lists.Select(l => Of(l.Key.Item1, l.Key.Item2, l.Value.D, l.Value.C, l.Value.I)).ToList();
    }

    /// <summary>The first index whose time is after <paramref name="ticks"/> (the start of a window open at its start).</summary>
    public static int After<T>(T[] sorted, long ticks, Func<T, long> time)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (time(sorted[mid]) <= ticks)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }

    /// <summary>Whether any time in <paramref name="sorted"/> lies in [<paramref name="from"/>, <paramref name="to"/>].</summary>
    public static bool AnyIn<T>(T[] sorted, long from, long to, Func<T, long> time)
    {
        var at = After(sorted, from - 1, time);
        return at < sorted.Length && time(sorted[at]) <= to;
    }
}

/// <summary>A <see cref="DeploymentFact"/> in ticks; <see cref="Recovered"/> is <see cref="long.MinValue"/> for none.</summary>
internal readonly record struct DeploymentEntry(long Finished, long Recovered, DeploymentFlags Flags)
{
    public bool Succeeded => (Flags & DeploymentFlags.Succeeded) != 0;
    public bool IsRedeploy => (Flags & DeploymentFlags.Redeploy) != 0;
    public bool IsFailed => (Flags & DeploymentFlags.Failed) != 0;
    public bool IsRework => (Flags & DeploymentFlags.Rework) != 0;

    /// <summary>Its application revision is unresolved (docs/metrics.md, "Data quality"); set only by the snapshot's loader.</summary>
    public bool IsUnresolved => (Flags & DeploymentFlags.Unresolved) != 0;

    /// <summary>Counts for frequency and for the latest-deployment marker: went live, not a redeploy.</summary>
    public bool IsLive => Succeeded && !IsRedeploy;

    public static DeploymentEntry From(DeploymentFact d) => new(d.FinishedAt.UtcTicks, d.RecoveredAt?.UtcTicks ?? long.MinValue,
        FlagsOf(d.Succeeded, d.IsRedeploy, d.IsFailed, d.IsRework));

    public static DeploymentFlags FlagsOf(bool succeeded, bool redeploy, bool failed, bool rework) =>
        (succeeded ? DeploymentFlags.Succeeded : 0) | (redeploy ? DeploymentFlags.Redeploy : 0)
        | (failed ? DeploymentFlags.Failed : 0) | (rework ? DeploymentFlags.Rework : 0);
}

[Flags]
internal enum DeploymentFlags : byte
{
    Succeeded = 1,
    Redeploy = 2,
    Failed = 4,
    Rework = 8,
    Unresolved = 16,
}

/// <summary>A <see cref="ChangeFact"/> in ticks.</summary>
internal readonly record struct ChangeEntry(long Deployed, LeadTimeBreakdown LeadTime);

/// <summary>An <see cref="IncidentFact"/> in ticks; <see cref="Resolved"/> is <see cref="Open"/> while it is not resolved.</summary>
internal readonly record struct IncidentEntry(long Started, long Resolved)
{
    public const long Open = long.MaxValue;

    public bool IsResolved => Resolved != Open;
}
