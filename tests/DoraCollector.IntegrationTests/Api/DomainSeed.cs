using DoraCollector.Persistence;
using DoraCollector.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace DoraCollector.IntegrationTests.Api;

/// <summary>Writes catalog and domain rows with plausible defaults; each call saves, so ids are known.</summary>
internal sealed class DomainSeed(DoraDbContext db)
{
    private static int _counter;

    public async Task<Service> ServiceAsync(string name, string? team = null, string? repository = null, string? path = null, string origin = "catalog")
    {
        var service = new Service
        {
            Name = name,
            TeamId = team is null ? null : (await TeamAsync(team)).Id,
            RepositoryId = repository is null ? null : (await RepositoryAsync(repository)).Id,
            Path = path,
            Origin = origin,
        };
        db.Services.Add(service);
        await db.SaveChangesAsync();
        return service;
    }

    public async Task<Repository> RepositoryAsync(string fullName)
    {
        var existing = await db.Repositories.SingleOrDefaultAsync(r => r.FullName == fullName);
        if (existing is not null)
        {
            return existing;
        }

        var repository = new Repository { FullName = fullName, DefaultBranch = "main", WebUrl = $"https://github.com/{fullName}" };
        db.Repositories.Add(repository);
        await db.SaveChangesAsync();
        return repository;
    }

    public async Task<Deployment> DeploymentAsync(Service service, DateTimeOffset finishedAt, Action<Deployment>? configure = null)
    {
        var n = Interlocked.Increment(ref _counter);
        var deployment = new Deployment
        {
            Key = $"argocd:app-{n}",
            ServiceId = service.Id,
            Environment = "production",
            RepositoryId = service.RepositoryId,
            Revision = $"{n:x8}aaaabbbbccccddddeeeeffff00001111",
            StartedAt = finishedAt.AddMinutes(-5),
            FinishedAt = finishedAt,
            Outcome = "success",
            AttemptCount = 1,
            ChangesState = "resolved",
        };
        configure?.Invoke(deployment);
        db.Deployments.Add(deployment);
        await db.SaveChangesAsync();
        return deployment;
    }

    public async Task<DeploymentAttempt> AttemptAsync(Deployment deployment, DateTimeOffset finishedAt, string outcome, Action<DeploymentAttempt>? configure = null)
    {
        var n = Interlocked.Increment(ref _counter);
        var attempt = new DeploymentAttempt
        {
            Source = "argocd",
            ExternalId = $"app-{n}",
            ServiceId = deployment.ServiceId,
            Environment = deployment.Environment,
            RepositoryId = deployment.RepositoryId,
            Revision = deployment.Revision,
            Outcome = outcome,
            StartedAt = finishedAt.AddMinutes(-2),
            FinishedAt = finishedAt,
            DeploymentId = deployment.Id,
            UpdatedAt = finishedAt,
        };
        configure?.Invoke(attempt);
        db.DeploymentAttempts.Add(attempt);
        await db.SaveChangesAsync();
        return attempt;
    }

    /// <summary>A change; a pull request when <paramref name="pullRequest"/> is given, else a direct commit.</summary>
    public async Task<DeploymentChange> ChangeAsync(
        Deployment deployment, DateTimeOffset firstCommitAt, int? pullRequest = null, DateTimeOffset? openedAt = null,
        DateTimeOffset? mergedAt = null, Action<DeploymentChange>? configure = null)
    {
        var n = Interlocked.Increment(ref _counter);
        var sha = $"{n:x8}0000111122223333444455556666";
        var change = new DeploymentChange
        {
            DeploymentId = deployment.Id,
            ChangeKey = pullRequest is { } number ? $"pr:{deployment.RepositoryId}:{number}" : $"commit:{sha}",
            RepositoryId = deployment.RepositoryId,
            PullRequestNumber = pullRequest,
            HeadSha = sha,
            Title = pullRequest is null ? "Direct commit" : $"Pull request {pullRequest}",
            CommitCount = pullRequest is null ? 1 : 3,
            FirstCommitAt = firstCommitAt,
            OpenedAt = openedAt,
            MergedAt = mergedAt,
            IsFirst = true,
        };
        configure?.Invoke(change);
        db.DeploymentChanges.Add(change);
        await db.SaveChangesAsync();
        return change;
    }

    public async Task<PullRequest> PullRequestAsync(int repositoryId, int number, string url, string title)
    {
        var pullRequest = new PullRequest
        {
            RepositoryId = repositoryId,
            Number = number,
            Title = title,
            Url = url,
            State = "merged",
            UpdatedAt = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        };
        db.PullRequests.Add(pullRequest);
        await db.SaveChangesAsync();
        return pullRequest;
    }

    public async Task<Incident> IncidentAsync(Service service, DateTimeOffset startedAt, DateTimeOffset? resolvedAt, Action<Incident>? configure = null)
    {
        var n = Interlocked.Increment(ref _counter);
        var incident = new Incident
        {
            Key = $"alertmanager:fp{n}@{startedAt:yyyyMMddHHmmss}",
            ServiceId = service.Id,
            Environment = "production",
            Title = $"Incident {n}",
            Severity = "critical",
            StartedAt = startedAt,
            ResolvedAt = resolvedAt,
            SignalCount = 1,
            Attribution = "none",
        };
        configure?.Invoke(incident);
        db.Incidents.Add(incident);
        await db.SaveChangesAsync();
        return incident;
    }

    /// <summary>Sets columns after the fact (links between rows created later).</summary>
    public Task SaveAsync() => db.SaveChangesAsync();

    private async Task<Team> TeamAsync(string name)
    {
        var existing = await db.Teams.SingleOrDefaultAsync(t => t.Name == name);
        if (existing is not null)
        {
            return existing;
        }

        var team = new Team { Name = name };
        db.Teams.Add(team);
        await db.SaveChangesAsync();
        return team;
    }
}
