namespace DoraCollector.Api.Read;

/// <summary>
/// The outcome partition the metrics count (see <c>DeploymentCounts</c>): every deployment is in
/// exactly one of these, decided by one SQL expression so the filter and the shown value agree.
/// </summary>
internal static class DeploymentOutcomes
{
    /// <summary>Went live and was not judged failed.</summary>
    public const string Success = "success";

    /// <summary>Went live, then judged failed (rolled back, caused an incident, needed a hotfix or revert).</summary>
    public const string Failed = "failed";

    /// <summary>The rollout failed: never went live.</summary>
    public const string RolloutFailed = "rollout_failed";

    /// <summary>A rollout of the revision already live: shown, never counted.</summary>
    public const string Redeploy = "redeploy";

    public static readonly IReadOnlyList<string> All = [Success, Failed, RolloutFailed, Redeploy];

    /// <summary>The partition value of deployment <c>d</c>.</summary>
    public const string Sql = """
        CASE WHEN d.is_redeploy THEN 'redeploy'
             WHEN d.outcome = 'failure' THEN 'rollout_failed'
             WHEN d.is_failed THEN 'failed'
             ELSE 'success' END
        """;
}
