namespace DoraCollector.Projection;

/// <summary>A period during which at least one signal of the service was open.</summary>
internal sealed class ProjectedIncident(SignalFact first)
{
    public string Key { get; } = first.Key;
    public List<SignalFact> Signals { get; } = [first];

    /// <summary>Null until attribution settles it (a signal without environment).</summary>
    public string? Environment { get; set; } = first.Environment;

    /// <summary>The cluster its signals name, when they name one and the same; null otherwise.</summary>
    public string? Cluster => Signals.Select(s => s.Cluster).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).ToList() is [var only]
        ? only
        : null;

    public DateTimeOffset StartedAt => Signals.Min(s => s.StartedAt);

    /// <summary>When the last signal resolved; null while any is open.</summary>
    public DateTimeOffset? ResolvedAt => Signals.Any(s => s.ResolvedAt is null) ? null : Signals.Max(s => s.ResolvedAt);

    public string? Title => Signals.Select(s => s.Title).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t));

    public string? Severity => Signals.Select(s => s.Severity).FirstOrDefault(t => !string.IsNullOrWhiteSpace(t));

    public ProjectedDeployment? Deployment { get; set; }

    /// <summary><c>explicit</c>, <c>rule</c> or <c>none</c>.</summary>
    public string Attribution { get; set; } = "none";

    /// <summary>Open at <paramref name="instant"/>: started at or before it and not resolved by then.</summary>
    public bool IsOpenAt(DateTimeOffset instant) => StartedAt <= instant && (ResolvedAt is not { } resolved || resolved > instant);
}

/// <summary>The derived deployments and incidents of one service.</summary>
internal sealed record ServiceProjection(IReadOnlyList<ProjectedDeployment> Deployments, IReadOnlyList<ProjectedIncident> Incidents);
