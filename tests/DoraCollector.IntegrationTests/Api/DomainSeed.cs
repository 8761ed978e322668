using Dapper;
using Npgsql;

namespace DoraCollector.IntegrationTests.Api;

/// <summary>Writes catalog and domain rows with plausible defaults, in plain SQL; each call saves, so ids are known.</summary>
internal sealed class DomainSeed(NpgsqlDataSource db)
{
    private static int _counter;

    private readonly List<SeedRow> _written = [];

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
        await WriteAsync(service);
        return service;
    }

    public async Task<Repository> RepositoryAsync(string fullName)
    {
        await using (var connection = await db.OpenConnectionAsync())
        {
            if (await connection.QuerySingleOrDefaultAsync<int?>("SELECT id FROM repositories WHERE full_name = @fullName", new { fullName }) is { } id)
            {
                return new Repository { Id = id, FullName = fullName };
            }
        }

        var repository = new Repository { FullName = fullName, DefaultBranch = "main", WebUrl = $"https://github.com/{fullName}" };
        await WriteAsync(repository);
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
        await WriteAsync(deployment);
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
        await WriteAsync(attempt);
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
        await WriteAsync(change);
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
        await WriteAsync(pullRequest);
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
        await WriteAsync(incident);
        return incident;
    }

    /// <summary>Writes again the rows changed after the fact (links between rows created later).</summary>
    public async Task SaveAsync()
    {
        await using var connection = await db.OpenConnectionAsync();
        foreach (var row in _written)
        {
            await row.UpdateAsync(connection);
        }
    }

    private async Task WriteAsync(SeedRow row)
    {
        await using var connection = await db.OpenConnectionAsync();
        await row.InsertAsync(connection);
        _written.Add(row);
    }

    private async Task<Team> TeamAsync(string name)
    {
        await using (var connection = await db.OpenConnectionAsync())
        {
            if (await connection.QuerySingleOrDefaultAsync<int?>("SELECT id FROM teams WHERE name = @name", new { name }) is { } id)
            {
                return new Team { Id = id, Name = name };
            }
        }

        var team = new Team { Name = name };
        await WriteAsync(team);
        return team;
    }
}
