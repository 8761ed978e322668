using System.Text.Json;
using DoraCollector.Ingestion;

namespace DoraCollector.Sources.Generic;

/// <summary>Maps posted deployments and incidents (already validated when they were accepted) to domain rows.</summary>
internal sealed class GenericMapper : IRawEventMapper
{
    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    public string Source => GenericIngestEndpoints.Source;

    public async Task<bool> MapAsync(RawEventRecord raw, DomainWriter writer, CancellationToken ct)
    {
        switch (raw.Kind)
        {
            case "deployment":
                await MapDeploymentAsync(raw, Read<GenericDeployment>(raw), writer, ct);
                return true;
            case "incident":
                await MapIncidentAsync(raw, Read<GenericIncident>(raw), writer, ct);
                return true;
            default:
                return false;
        }
    }

    public async Task PrepareAsync(IReadOnlyList<RawEventRecord> batch, DomainWriter writer, CancellationToken ct)
    {
        var deployments = new List<GenericDeployment>();
        var names = new List<string>();
        foreach (var raw in batch)
        {
            // An event that cannot be read fails when it is mapped, with its reason.
            try
            {
                switch (raw.Kind)
                {
                    case "deployment":
                        var d = Read<GenericDeployment>(raw);
                        deployments.Add(d);
                        names.Add(d.Service);
                        break;
                    case "incident":
                        names.Add(Read<GenericIncident>(raw).Service);
                        break;
                }
            }
            catch (Exception e) when (e is JsonException or InvalidPayloadException)
            {
            }
        }

        await writer.Services.PreloadAsync(names,
            deployments.Select(d => d.Repository ?? $"generic/{d.Service}"), ct, deployments.Select(d => d.Team).OfType<string>());
    }

    private static async Task MapDeploymentAsync(RawEventRecord raw, GenericDeployment d, DomainWriter writer, CancellationToken ct)
    {
        int? repositoryId = d.Repository is { } posted ? await writer.Services.RepositoryAsync(posted, ct) : null;
        int? applicationRepositoryId = d.ApplicationRepository is { } application ? await writer.Services.RepositoryAsync(application, ct) : null;

        // A service discovered here lives in the application's repository; the revision may be one of a GitOps repository.
        var serviceId = await writer.Services.EnsureAsync(d.Service, d.Team, applicationRepositoryId ?? repositoryId, ct);
        repositoryId ??= await writer.RepositoryOfServiceAsync(serviceId, ct);
        if (d.ApplicationRevision is not null)
        {
            applicationRepositoryId ??= await writer.RepositoryOfServiceAsync(serviceId, ct);
        }

        if (d.Commits is { Count: > 0 } commits)
        {
            // Posted commits are the application's; a tool that names no repository gets one per service.
            var commitRepositoryId = (d.ApplicationRevision is null ? null : applicationRepositoryId) ?? repositoryId
                ?? await writer.Services.RepositoryAsync($"generic/{d.Service}", ct);
            repositoryId ??= commitRepositoryId;
            await writer.UpsertCommitsAsync(commitRepositoryId, commits.Select(c => new CommitRow(
                c.Sha, [], c.AuthoredAt, c.CommittedAt ?? c.AuthoredAt, null, c.Message)).ToList(), ct, keepExisting: true);
            foreach (var pr in commits.Where(c => c.PullRequest is not null).GroupBy(c => c.PullRequest!.Number))
            {
                var info = pr.First().PullRequest!;
                await writer.UpsertPullRequestAsync(commitRepositoryId, new PullRequestRow(
                    info.Number, info.Title, info.Url, null, null, "merged", info.OpenedAt, info.MergedAt, null, null,
                    pr.Select(c => c.PullRequest!.FirstCommitAt).Append(pr.Min(c => c.AuthoredAt)).Min(),
                    null, info.Labels, pr.Select(c => c.Sha).ToList(), raw.ReceivedAt), ct, fillMissing: true);
            }
        }

        await writer.UpsertAttemptAsync(new AttemptRow(
            GenericIngestEndpoints.Source, d.Id, serviceId, d.Environment, repositoryId, d.Revision, d.Status == "success", d.StartedAt, d.FinishedAt,
            ExplicitCommits: d.Commits?.Select(c => c.Sha).ToList(), RawEventId: raw.Id, Cluster: d.Cluster ?? "",
            ApplicationRevision: d.ApplicationRevision, ApplicationRepositoryId: applicationRepositoryId), ct);
    }

    private static async Task MapIncidentAsync(RawEventRecord raw, GenericIncident i, DomainWriter writer, CancellationToken ct)
    {
        var serviceId = await writer.Services.EnsureAsync(i.Service, null, null, ct);
        await writer.UpsertSignalAsync(new SignalRow(
            GenericIngestEndpoints.Source, i.Id, serviceId, i.Service, i.Environment, i.Title, i.Severity, null, i.StartedAt, i.ResolvedAt,
            ClosedBy: i.ResolvedAt is null ? null : "source", DeploymentRef: i.DeploymentId, RevisionRef: i.Revision, RawEventId: raw.Id,
            Cluster: i.Cluster ?? ""), ct);
    }

    private static T Read<T>(RawEventRecord raw) =>
        JsonSerializer.Deserialize<T>(raw.Payload, PayloadJson) ?? throw new InvalidPayloadException($"{raw.Kind} payload is empty");
}
