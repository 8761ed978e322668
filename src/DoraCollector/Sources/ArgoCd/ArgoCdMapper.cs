using System.Text.Json;
using DoraCollector.Ingestion;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.ArgoCd;

/// <summary>
/// Maps an Application (a polled or watched snapshot, or a notification body of the same shape)
/// to deployment attempts: history entries are successes, a failed operation is a failure (see
/// <see cref="ArgoCdRollouts"/>). Every snapshot repeats the older history entries; they upsert
/// onto the same attempts.
/// </summary>
internal sealed class ArgoCdMapper(IOptionsMonitor<ArgoCdOptions> options) : IRawEventMapper
{
    public const string SourceName = "argocd";
    public const string NotificationKind = "notification";

    public string Source => SourceName;

    /// <summary>
    /// Reads at once what a batch's Applications look up one by one: the repositories their
    /// sources name, and the services they are (by alias or name) with their scopes.
    /// </summary>
    public async Task PrepareAsync(IReadOnlyList<RawEventRecord> batch, DomainWriter writer, CancellationToken ct)
    {
        var settings = options.CurrentValue;
        var apps = new List<ArgoApplication>();
        var repositories = new List<string>();
        foreach (var raw in batch.Where(r => r.Kind is ArgoCdSnapshot.Kind or NotificationKind))
        {
            try
            {
                var app = writer.Prepared(raw, r => ArgoCdSnapshot.Read(r.Payload));
                if (string.IsNullOrWhiteSpace(app.Metadata?.Name))
                {
                    continue;
                }

                repositories.AddRange(ArgoCdRollouts.Of(app, sources => ArgoCdSourceChoice.Index(sources, null)).Select(r => r.Source)
                    .Concat(ArgoCdRollouts.SourcesOf(app.Spec?.Sources, app.Spec?.Source))
                    .OfType<ArgoSource>().Where(RepositoryUrls.IsGit).Select(source => RepositoryUrls.Normalize(source.RepoUrl)).OfType<string>());
                apps.Add(app);
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
            {
                // Mapping it will say why; nothing to read for it.
            }
        }

        await writer.Services.PreloadAsync(apps.Select(app => ArgoCdTargets.ServiceName(app, settings)), repositories, ct);
        var services = new List<int>();
        foreach (var app in apps)
        {
            var serviceId = await ArgoCdTargets.AliasedAsync(app, writer.Services, ct)
                            ?? await writer.Services.FindAsync(ArgoCdTargets.ServiceName(app, settings).Trim(), ct);
            if (serviceId is not null)
            {
                services.Add(serviceId.Value);
            }
        }

        await writer.Services.PreloadScopesAsync(services, ct);
    }

    public async Task<bool> MapAsync(RawEventRecord raw, DomainWriter writer, CancellationToken ct)
    {
        if (raw.Kind is not (ArgoCdSnapshot.Kind or NotificationKind))
        {
            return false;
        }

        ArgoApplication app;
        try
        {
            app = writer.Payload(raw, r => ArgoCdSnapshot.Read(r.Payload));
        }
        catch (JsonException e)
        {
            throw new InvalidPayloadException($"not an Argo CD Application: {e.Message}");
        }

        if (string.IsNullOrWhiteSpace(app.Metadata?.Name))
        {
            throw new InvalidPayloadException("not an Argo CD Application: metadata.name is missing");
        }

        var settings = options.CurrentValue;
        if (settings.Projects.Count > 0 && !settings.Projects.Contains(app.Spec?.Project ?? "", StringComparer.Ordinal))
        {
            return false;
        }

        if (ArgoCdRollouts.Of(app, sources => ArgoCdSourceChoice.Index(sources, null)).Count == 0)
        {
            return false;
        }

        var target = await ArgoCdTargets.ResolveAsync(app, writer, settings, ct);
        var cluster = ArgoCdCluster.Of(app, settings);
        var (applicationRevision, applicationRepositoryId) = await LinkAsync(app, writer, ct);
        var attempts = new List<AttemptRow>();
        foreach (var rollout in ArgoCdRollouts.Of(app, sources => ArgoCdSourceChoice.Index(sources, target.ServiceRepository)))
        {
            int? repositoryId = rollout.Source is { } source && RepositoryUrls.IsGit(source) && RepositoryUrls.Normalize(source.RepoUrl) is { } name
                ? await writer.Services.RepositoryAsync(name, ct)
                : null;
            // The rollback hint of a history entry is known only while its operation is the current
            // one; a later snapshot must not take it back.
            attempts.Add(new AttemptRow(
                SourceName, rollout.ExternalId, target.ServiceId, target.Environment, repositoryId, rollout.Revision, rollout.Succeeded,
                rollout.StartedAt, rollout.FinishedAt, rollout.IsCurrentOperation && rollout.RollbackHint, DetailsJson: Details(app, rollout),
                RawEventId: raw.Id, KeepStoredHint: !rollout.IsCurrentOperation, Cluster: cluster,
                ApplicationRevision: rollout.IsCurrentOperation ? applicationRevision : null,
                ApplicationRepositoryId: rollout.IsCurrentOperation ? applicationRepositoryId : null,
                SourcePath: SourcePath(rollout.Source)));
        }

        // The whole history at once: a snapshot repeats the entries stored before, which change nothing.
        await writer.UpsertAttemptsAsync(attempts, ct);
        if (LiveAttempt(app, attempts) is { } live)
        {
            await writer.SetAttemptImagesAsync(SourceName, live.ExternalId, app.Status!.Summary!.Images!, ct);
        }

        return true;
    }

    /// <summary>
    /// The attempt whose images <c>status.summary.images</c> shows: the newest successful one,
    /// when no operation runs after it (a running sync, or a failed one, leaves the live images
    /// somewhere between two revisions, which names neither). Null when the body has no images.
    /// </summary>
    public static AttemptRow? LiveAttempt(ArgoApplication app, IReadOnlyList<AttemptRow> attempts)
    {
        if (app.Status?.Summary?.Images is not { Count: > 0 })
        {
            return null;
        }

        var newest = attempts.Where(a => a.Succeeded).MaxBy(a => a.FinishedAt);
        var operation = app.Status.OperationState;
        var settled = operation?.StartedAt is not { } started
                      || operation.Phase == "Succeeded" && newest?.StartedAt == started
                      || operation.Phase is "Failed" or "Error" && newest?.StartedAt > started;
        return settled ? newest : null;
    }

    // The notification's explicit link (applicationRevision, applicationRepository) to the
    // application's commit, for the current operation's rollout. A value that is not a commit SHA
    // (a template whose annotation is missing renders an empty or "<no value>" string) links nothing.
    private static async Task<(string? Revision, int? RepositoryId)> LinkAsync(ArgoApplication app, DomainWriter writer, CancellationToken ct)
    {
        if (app.ApplicationRevision?.Trim() is not { } revision || !Projection.Revisions.IsSha(revision) || revision.Length > 40)
        {
            return (null, null);
        }

        var repository = app.ApplicationRepository?.Trim() is { Length: > 0 } named
            ? named.Contains("://", StringComparison.Ordinal) || named.Contains('@', StringComparison.Ordinal) ? RepositoryUrls.Normalize(named) : named
            : null;
        return (revision.ToLowerInvariant(), repository is null ? null : await writer.Services.RepositoryAsync(repository, ct));
    }

    /// <summary>
    /// The folder the rollout deployed: the <c>path</c> of the source it synced (a history entry's
    /// <c>source</c>/<c>sources</c>, else the spec's), for a Git source; a Helm chart repository's
    /// source has none.
    /// </summary>
    public static string? SourcePath(ArgoSource? source) =>
        source is not null && RepositoryUrls.IsGit(source) ? GitOps.GitOpsFolder.Normalize(source.Path) : null;

    private static string Details(ArgoApplication app, ArgoRollout rollout) => JsonSerializer.Serialize(new
    {
        application = ArgoCdSnapshot.QualifiedName(app),
        project = app.Spec?.Project,
        historyId = rollout.HistoryId,
        initiatedBy = rollout.InitiatedBy?.Automated == true ? "automated" : rollout.InitiatedBy?.Username,
        message = rollout.Message,
    }, ArgoCdSnapshot.Json);
}
