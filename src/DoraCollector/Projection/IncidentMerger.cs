namespace DoraCollector.Projection;

/// <summary>
/// An incident is a period during which at least one signal of the service is open: overlapping
/// signals (closer than the configured gap) in one environment merge; an open signal keeps its
/// incident open.
/// </summary>
internal static class IncidentMerger
{
    public static List<ProjectedIncident> Merge(IEnumerable<SignalFact> signals, TimeSpan gap)
    {
        var incidents = new List<ProjectedIncident>();
        foreach (var environment in signals.GroupBy(s => s.Environment, StringComparer.Ordinal))
        {
            ProjectedIncident? current = null;
            DateTimeOffset? currentEnd = null;
            foreach (var signal in environment.OrderBy(s => s.StartedAt).ThenBy(s => s.Id))
            {
                var overlaps = current is not null && (currentEnd is null || signal.StartedAt <= currentEnd.Value + gap);
                if (overlaps)
                {
                    current!.Signals.Add(signal);
                    currentEnd = signal.ResolvedAt is null || currentEnd is null ? null : Max(currentEnd.Value, signal.ResolvedAt.Value);
                    continue;
                }

                current = new ProjectedIncident(signal);
                currentEnd = signal.ResolvedAt;
                incidents.Add(current);
            }
        }

        return incidents.OrderBy(i => i.StartedAt).ThenBy(i => i.Key, StringComparer.Ordinal).ToList();
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a >= b ? a : b;
}
