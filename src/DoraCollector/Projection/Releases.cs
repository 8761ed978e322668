namespace DoraCollector.Projection;

/// <summary>
/// When two rollouts run the same release (docs/metrics.md, "GitOps repositories and promotion"):
/// the same application revision; with <see cref="ProjectionRules.CountConfigurationChanges"/>
/// also the same configuration revision. Rollouts whose application revision is unresolved are
/// the same only as each other, by configuration revision. For a same-repository rollout the two
/// revisions are one, so this is <see cref="Revisions.Same"/> of the synced revision, as before.
/// </summary>
internal static class Releases
{
    public static bool Same(AttemptFact attempt, ClusterRun run, bool countConfigurationChanges) =>
        Same(attempt.ApplicationRevision, attempt.Revision, run.ApplicationRevision, run.Revision, countConfigurationChanges);

    public static bool Same(ClusterRun run, ProjectedDeployment deployment, bool countConfigurationChanges) =>
        Same(run.ApplicationRevision, run.Revision, deployment.ApplicationRevision, deployment.Revision, countConfigurationChanges);

    public static bool Same(string? applicationA, string configurationA, string? applicationB, string configurationB, bool countConfigurationChanges) =>
        applicationA is null || applicationB is null
            ? applicationA is null && applicationB is null && Revisions.Same(configurationA, configurationB)
            : Revisions.Same(applicationA, applicationB) && (!countConfigurationChanges || Revisions.Same(configurationA, configurationB));

    /// <summary>The revision a rollout is judged by: its application revision, or the configuration revision when unresolved.</summary>
    public static string Primary(ClusterRun run) => run.ApplicationRevision ?? run.Revision;
}
