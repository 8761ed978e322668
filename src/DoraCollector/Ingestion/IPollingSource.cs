namespace DoraCollector.Ingestion;

/// <summary>
/// A source that pulls from upstream (GitHub, the Argo CD API, Kubernetes, Alertmanager), as
/// opposed to one that only receives webhooks. Its scheduled job and the <c>backfill</c> verb both
/// run one pass of it; a pass stores what it fetches in the inbox and resumes from its cursors.
/// </summary>
internal interface IPollingSource
{
    /// <summary>The <c>raw_events.source</c> it writes, e.g. <c>github</c>.</summary>
    string Name { get; }

    /// <summary>Configured to poll at all (credentials, URLs, repositories present).</summary>
    bool IsConfigured { get; }

    /// <summary>One pass: fetch what is new since the cursors and store it.</summary>
    Task RunAsync(CancellationToken ct);
}
