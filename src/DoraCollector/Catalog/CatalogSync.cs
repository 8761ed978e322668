using Dapper;
using DoraCollector.Hosting;
using DoraCollector.Sources.GitOps;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DoraCollector.Catalog;

/// <summary>
/// Writes the configured catalog (section and file) into the catalog tables when the service
/// starts, after the migrations: teams, repositories, services with their owner, monorepo path
/// and the names the sources give them. Services only the sources know stay as discovered.
/// </summary>
internal sealed partial class CatalogSync(NpgsqlDataSource db, IOptions<CatalogOptions> options, TimeProvider clock, ILogger<CatalogSync> logger)
    : IHostedService
{
    private const string UpsertTeam = """
        INSERT INTO teams (name) VALUES (@name) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id
        """;

    private const string UpsertService = """
        INSERT INTO services (name, team_id, repository_id, path, origin, updated_at)
        VALUES (@name, @teamId, @repositoryId, @path, 'catalog', @now)
        ON CONFLICT (name) DO UPDATE
           SET team_id = EXCLUDED.team_id, repository_id = EXCLUDED.repository_id, path = EXCLUDED.path,
               origin = 'catalog', updated_at = EXCLUDED.updated_at
        RETURNING id
        """;

    // An alias moves to the service the catalog names now.
    private const string UpsertAlias = """
        INSERT INTO service_aliases (kind, value, service_id) VALUES (@kind, @value, @serviceId)
        ON CONFLICT (kind, value) DO UPDATE SET service_id = EXCLUDED.service_id
        """;

    /// <summary>Writes the catalog; while the database is away (it may restart just then), waits and writes it again.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var services = Entries(options.Value);
        if (services.Count == 0)
        {
            return;
        }

        var retry = new RetryPause("Writing the catalog", logger, clock);
        while (true)
        {
            try
            {
                await WriteAsync(services, cancellationToken);
                return;
            }
            catch (Exception e) when (TransientFailures.IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                await retry.FailedAsync(e, cancellationToken);
            }
        }
    }

    private async Task WriteAsync(IReadOnlyList<CatalogService> services, CancellationToken cancellationToken)
    {
        await using var conn = await db.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var service in services)
        {
            int? teamId = string.IsNullOrWhiteSpace(service.Team)
                ? null
                : await conn.ExecuteScalarAsync<int>(new CommandDefinition(UpsertTeam, new { name = service.Team.Trim() }, tx, cancellationToken: cancellationToken));
            int? repositoryId = service.Repository is null
                ? null
                : await ServiceDirectory.UpsertRepositoryAsync(conn, tx, service.Repository, cancellationToken);
            var serviceId = await conn.ExecuteScalarAsync<int>(new CommandDefinition(UpsertService,
                new { name = service.Name.Trim(), teamId, repositoryId, path = NormalizePath(service.Path), now }, tx, cancellationToken: cancellationToken));
            foreach (var (kind, value) in Aliases(service))
            {
                await conn.ExecuteAsync(new CommandDefinition(UpsertAlias, new { kind, value, serviceId }, tx, cancellationToken: cancellationToken));
            }

            await conn.ExecuteAsync(new CommandDefinition(
                "INSERT INTO projection_queue (service_id, queued_at, resolve_changes) VALUES (@serviceId, @now, true) ON CONFLICT (service_id) DO UPDATE SET resolve_changes = true",
                new { serviceId, now }, tx, cancellationToken: cancellationToken));
        }

        await tx.CommitAsync(cancellationToken);
        LogSynced(services.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The services of the section and of the file; the section wins for a name in both.</summary>
    public static IReadOnlyList<CatalogService> Entries(CatalogOptions options)
    {
        var fromFile = string.IsNullOrWhiteSpace(options.File) ? [] : CatalogFile.Read(options.File).Services;
        return options.Services.Concat(fromFile)
            .Where(s => !string.IsNullOrWhiteSpace(s.Name))
            .DistinctBy(s => s.Name.Trim(), StringComparer.Ordinal)
            .ToList();
    }

    public static string? NormalizePath(string? path) =>
        string.IsNullOrWhiteSpace(path) ? null : path.Trim().Trim('/');

    private static IEnumerable<(string Kind, string Value)> Aliases(CatalogService service) =>
        service.ArgoCdApplications.Select(a => (ServiceAliasKinds.ArgoCdApplication, a.Trim()))
            .Concat(service.FluxObjects.Select(f => (ServiceAliasKinds.FluxObject, f.Trim())))
            .Concat(service.AlertLabelValues.Select(v => (ServiceAliasKinds.AlertLabel, v.Trim())))
            .Concat(service.Images.Select(i => (ServiceAliasKinds.Image, ImageReference.NameOf(i) ?? "")))
            .Where(a => a.Item2.Length > 0);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Catalog: {Count} services written")]
    private partial void LogSynced(int count);
}

internal static class ServiceAliasKinds
{
    public const string ArgoCdApplication = "argocd_application";
    public const string FluxObject = "flux_object";
    public const string AlertLabel = "alert_label";

    /// <summary>An image name without tag (<see cref="DoraCollector.Sources.GitOps.ImageReference.Name"/>), built from the service's repository.</summary>
    public const string Image = "image";
}
