using Dapper;
using DoraCollector.Ingestion;
using Npgsql;

namespace DoraCollector.Catalog;

/// <summary>
/// Finds the catalog service a source means, inside the caller's transaction: by name, by an
/// alias (an Argo CD application, a Flux object, an alert label value) or by repository, and
/// discovers a new service when the catalog has none.
/// </summary>
internal sealed class ServiceDirectory(NpgsqlConnection conn, NpgsqlTransaction tx)
{
    private const string FindByName = "SELECT id FROM services WHERE name = @name";

    // Every alias of a kind: the catalog's names for a source's objects, a few per service.
    private const string AliasesOfKind = "SELECT value AS Value, service_id AS ServiceId FROM service_aliases WHERE kind = @kind";

    // A new service is stored with the team the source names, and its id returned, in one round trip;
    // a name another transaction stored first returns no row, and the service is read by name.
    private const string Discover = """
        INSERT INTO services (name, repository_id, origin, team_id) VALUES (@name, @repositoryId, 'discovered', @teamId)
        ON CONFLICT (name) DO NOTHING
        RETURNING id
        """;

    // A discovered service takes the team a source names; a catalog service keeps its owner.
    private const string AdoptTeam = """
        UPDATE services SET team_id = @teamId, updated_at = now()
        WHERE id = @serviceId AND team_id IS NULL AND origin = 'discovered'
        """;

    // Like the team: a discovered service of that repository takes the monorepo folder a source
    // deploys it from, once; a catalog service keeps the path the catalog gives it (or none).
    private const string AdoptPath = """
        UPDATE services SET path = @path, updated_at = now()
        WHERE id = @serviceId AND origin = 'discovered' AND path IS NULL AND repository_id = @repositoryId
        """;

    // Read first: an upsert would lock the team's row until the batch commits, and batches of
    // other partitions name the same teams.
    private const string FindTeam = "SELECT id FROM teams WHERE name = @name";

    // For a name the batch's preload found missing: stored without being read again, and one
    // another transaction stored since is read afterwards rather than rewritten (and locked).
    private const string StoreTeam = "INSERT INTO teams (name) VALUES (@name) ON CONFLICT (name) DO NOTHING RETURNING id";

    private const string StoreRepository = "INSERT INTO repositories (full_name) VALUES (@fullName) ON CONFLICT (full_name) DO NOTHING RETURNING id";

    private const string UpsertTeam = """
        INSERT INTO teams (name) VALUES (@name) ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id
        """;

    private const string Preload = """
        SELECT s.id AS Id, s.name AS Name, s.repository_id AS RepositoryId, s.team_id AS TeamId, s.origin AS Origin
        FROM services s WHERE s.name = ANY (@names)
        """;

    private const string PreloadRepositories = "SELECT full_name AS FullName, id AS Id FROM repositories WHERE full_name = ANY (@fullNames)";

    private const string PreloadTeams = "SELECT name AS Name, id AS Id FROM teams WHERE name = ANY (@names)";

    private const string Describe = """
        SELECT s.origin AS Origin, s.path AS Path, s.repository_id AS RepositoryId, r.full_name AS Repository
        FROM services s LEFT JOIN repositories r ON r.id = s.repository_id WHERE s.id = @serviceId
        """;

    private const string DescribeAll = """
        SELECT s.id AS Id, s.origin AS Origin, s.path AS Path, s.repository_id AS RepositoryId, r.full_name AS Repository
        FROM services s LEFT JOIN repositories r ON r.id = s.repository_id WHERE s.id = ANY (@serviceIds)
        """;

    private const string FindRepository = "SELECT id FROM repositories WHERE full_name = @fullName";

    private const string UpsertRepository = """
        INSERT INTO repositories (full_name) VALUES (@fullName)
        ON CONFLICT (full_name) DO UPDATE SET full_name = EXCLUDED.full_name
        RETURNING id
        """;

    // What this transaction found: a mapping batch names the same few services, repositories and
    // aliases hundreds of times (and the repository upsert rewrites and locks the row: it is for a
    // new one). A service is mapped by one batch at a time (DomainWriteLock), and only the catalog
    // (in its own transaction) removes a service or changes an alias.
    private readonly Dictionary<string, int?> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _repositories = new(StringComparer.Ordinal);

    // Names a preload found no row for: the first use stores them without reading again.
    private readonly HashSet<string> _unstoredRepositories = new(StringComparer.Ordinal);
    private readonly HashSet<string> _unstoredTeams = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Kind, string Value), int> _aliases = [];
    private readonly HashSet<string> _aliasKinds = new(StringComparer.Ordinal);
    private readonly Dictionary<int, ServiceScope> _scopes = [];
    private readonly Dictionary<string, int> _teams = new(StringComparer.Ordinal);
    private readonly Dictionary<int, KnownService> _known = [];
    private readonly HashSet<int> _adopted = [];

    /// <summary>How many services this transaction discovered (a repository may have a new one).</summary>
    public int Discovered { get; private set; }

    /// <summary>The service of this name, if there is one.</summary>
    public async Task<int?> FindAsync(string name, CancellationToken ct)
    {
        if (!_names.TryGetValue(name, out var id))
        {
            id = await conn.ExecuteScalarAsync<int?>(new CommandDefinition(FindByName, new { name }, tx, cancellationToken: ct));
            _names[name] = id;
        }

        return id;
    }

    /// <summary>Where a service comes from and what it covers: its origin, repository and folder.</summary>
    public async Task<ServiceScope> ScopeAsync(int serviceId, CancellationToken ct)
    {
        if (!_scopes.TryGetValue(serviceId, out var scope))
        {
            scope = await conn.QuerySingleAsync<ServiceScope>(new CommandDefinition(Describe, new { serviceId }, tx, cancellationToken: ct));
            _scopes[serviceId] = scope;
        }

        return scope;
    }

    /// <summary>
    /// The service an alias names. Only the catalog writes aliases, so a mapping batch reads every
    /// alias of a kind at its first lookup of that kind, in one statement: a batch of a few hundred
    /// events looks up dozens of distinct names (most of them twice, the qualified name first),
    /// each a round trip of its own when read one by one.
    /// </summary>
    public async Task<int?> FindByAliasAsync(string kind, string value, CancellationToken ct)
    {
        if (_aliasKinds.Add(kind))
        {
            foreach (var alias in await conn.QueryAsync<(string Value, int ServiceId)>(new CommandDefinition(
                         AliasesOfKind, new { kind }, tx, cancellationToken: ct)))
            {
                _aliases[(kind, alias.Value)] = alias.ServiceId;
            }
        }

        return _aliases.TryGetValue((kind, value), out var id) ? id : null;
    }

    /// <summary>The services whose repository this is (several for a monorepo).</summary>
    public async Task<IReadOnlyList<(int Id, string? Path)>> FindByRepositoryAsync(int repositoryId, CancellationToken ct) =>
        (await conn.QueryAsync<(int, string?)>(new CommandDefinition(
            "SELECT id, path FROM services WHERE repository_id = @repositoryId ORDER BY id", new { repositoryId }, tx, cancellationToken: ct))).ToList();

    /// <summary>The service of this name, discovered now if the catalog does not have it.</summary>
    /// <exception cref="ImplausibleEventException">The name or team is longer than any real one.</exception>
    public async Task<int> EnsureAsync(string name, string? team, int? repositoryId, CancellationToken ct)
    {
        name = name.Trim();
        Plausible.Name(name, "service name");
        Plausible.Name(team?.Trim(), "team name");
        if (await FindAsync(name, ct) is not { } id)
        {
            int? teamId = string.IsNullOrWhiteSpace(team) ? null : await TeamAsync(team.Trim(), ct);
            _names.Remove(name);
            Discovered++;
            if (await conn.ExecuteScalarAsync<int?>(new CommandDefinition(Discover, new { name, repositoryId, teamId }, tx, cancellationToken: ct)) is { } stored)
            {
                // Stored as written: the events after it in the batch know its repository and team.
                _names[name] = stored;
                _known[stored] = new KnownService(repositoryId, teamId, "discovered");
                if (teamId is not null)
                {
                    _adopted.Add(stored);
                }

                return stored;
            }

            id = (await FindAsync(name, ct))!.Value;
        }

        // A service that has a team, or belongs to the catalog, keeps it: nothing to write.
        // Once adopted in this transaction (by this team or one before), the service has a team: the
        // events after it in the batch need not write again.
        var known = _known.GetValueOrDefault(id);
        if (!string.IsNullOrWhiteSpace(team) && known is not { TeamId: not null } && known?.Origin is null or "discovered" && _adopted.Add(id))
        {
            var teamId = await TeamAsync(team.Trim(), ct);
            await conn.ExecuteAsync(new CommandDefinition(AdoptTeam, new { teamId, serviceId = id }, tx, cancellationToken: ct));
            if (known is not null)
            {
                // Whether this team or one adopted before, the service has one now.
                _known[id] = known with { TeamId = teamId };
            }
        }

        return id;
    }

    /// <summary>
    /// Reads the services, repositories and teams of these names at once, so the events of a batch
    /// that name them find them without a round trip each; a repository or team found missing is
    /// stored at its first use without being looked up again.
    /// </summary>
    public async Task PreloadAsync(IEnumerable<string> serviceNames, IEnumerable<string> repositories, CancellationToken ct, IEnumerable<string>? teams = null)
    {
        var names = serviceNames.Select(n => n.Trim()).Where(n => !_names.ContainsKey(n)).Distinct(StringComparer.Ordinal).ToArray();
        if (names.Length > 0)
        {
            var found = (await conn.QueryAsync<PreloadedService>(new CommandDefinition(Preload, new { names }, tx, cancellationToken: ct)))
                .ToDictionary(f => f.Name, StringComparer.Ordinal);
            foreach (var name in names)
            {
                _names[name] = found.TryGetValue(name, out var service) ? service.Id : null;
                if (service is not null)
                {
                    _known[service.Id] = new KnownService(service.RepositoryId, service.TeamId, service.Origin);
                }
            }
        }

        var fullNames = repositories.Select(NormalizeRepository).Where(r => !_repositories.ContainsKey(r)).Distinct(StringComparer.Ordinal).ToArray();
        if (fullNames.Length > 0)
        {
            foreach (var (fullName, id) in await conn.QueryAsync<(string, int)>(new CommandDefinition(
                         PreloadRepositories, new { fullNames }, tx, cancellationToken: ct)))
            {
                _repositories[fullName] = id;
            }

            _unstoredRepositories.UnionWith(fullNames.Where(n => !_repositories.ContainsKey(n)));
        }

        var teamNames = (teams ?? []).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim())
            .Where(t => !_teams.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToArray();
        if (teamNames.Length > 0)
        {
            foreach (var (team, id) in await conn.QueryAsync<(string, int)>(new CommandDefinition(
                         PreloadTeams, new { names = teamNames }, tx, cancellationToken: ct)))
            {
                _teams[team] = id;
            }

            _unstoredTeams.UnionWith(teamNames.Where(t => !_teams.ContainsKey(t)));
        }
    }

    /// <summary>
    /// Reads the scopes of these services at once (<see cref="ScopeAsync"/>), so the events of a
    /// batch that name them find them without a round trip each.
    /// </summary>
    public async Task PreloadScopesAsync(IEnumerable<int> serviceIds, CancellationToken ct)
    {
        var unread = serviceIds.Where(id => !_scopes.ContainsKey(id)).Distinct().ToArray();
        if (unread.Length == 0)
        {
            return;
        }

        foreach (var found in await conn.QueryAsync<DescribedService>(new CommandDefinition(
                     DescribeAll, new { serviceIds = unread }, tx, cancellationToken: ct)))
        {
            _scopes[found.Id] = new ServiceScope { Origin = found.Origin, Path = found.Path, RepositoryId = found.RepositoryId, Repository = found.Repository };
        }
    }

    /// <summary>A service as <see cref="PreloadAsync"/> read it, or <see cref="EnsureAsync"/> stored it, in this transaction; null when neither.</summary>
    public KnownService? Known(int serviceId) => _known.GetValueOrDefault(serviceId);

    private async Task<int> TeamAsync(string name, CancellationToken ct)
    {
        if (!_teams.TryGetValue(name, out var id))
        {
            id = (_unstoredTeams.Remove(name) ? await ScalarAsync(StoreTeam, new { name }, ct) : null)
                 ?? await ScalarAsync(FindTeam, new { name }, ct)
                 ?? await conn.ExecuteScalarAsync<int>(new CommandDefinition(UpsertTeam, new { name }, tx, cancellationToken: ct));
            _teams[name] = id;
        }

        return id;
    }

    /// <summary>
    /// Scopes a discovered service without a path to a folder of its repository; false when the
    /// service already has a path, belongs to the catalog or lives in another repository. The
    /// caller queues the service with its changes resolved again.
    /// </summary>
    public async Task<bool> AdoptPathAsync(int serviceId, int repositoryId, string path, CancellationToken ct)
    {
        _scopes.Remove(serviceId);
        return await conn.ExecuteAsync(new CommandDefinition(AdoptPath, new { serviceId, repositoryId, path = path.Trim('/') }, tx, cancellationToken: ct)) > 0;
    }

    /// <summary>A repository by <c>owner/name</c>, stored now if new.</summary>
    public async Task<int> RepositoryAsync(string fullName, CancellationToken ct)
    {
        fullName = NormalizeRepository(fullName);
        Plausible.Key(fullName, "repository name");
        if (!_repositories.TryGetValue(fullName, out var id))
        {
            id = (_unstoredRepositories.Remove(fullName) ? await ScalarAsync(StoreRepository, new { fullName }, ct) : null)
                 ?? await ScalarAsync(FindRepository, new { fullName }, ct)
                 ?? await UpsertRepositoryAsync(conn, tx, fullName, ct);
            _repositories[fullName] = id;
        }

        return id;
    }

    private Task<int?> ScalarAsync(string sql, object parameters, CancellationToken ct) =>
        conn.ExecuteScalarAsync<int?>(new CommandDefinition(sql, parameters, tx, cancellationToken: ct));

    /// <summary>Forgets what this transaction found, after a rollback to a savepoint may have undone it.</summary>
    public void Forget()
    {
        _names.Clear();
        _repositories.Clear();
        _unstoredRepositories.Clear();
        _unstoredTeams.Clear();
        _aliases.Clear();
        _aliasKinds.Clear();
        _scopes.Clear();
        _teams.Clear();
        _known.Clear();
        _adopted.Clear();
    }

    /// <summary>A repository by <c>owner/name</c> (case-insensitive, stored lower case).</summary>
    public static Task<int> UpsertRepositoryAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string fullName, CancellationToken ct) =>
        conn.ExecuteScalarAsync<int>(new CommandDefinition(
            UpsertRepository, new { fullName = NormalizeRepository(fullName) }, tx, cancellationToken: ct));

    public static string NormalizeRepository(string fullName) => fullName.Trim().TrimEnd('/').ToLowerInvariant();
}

/// <summary>A service as a batch found it: its repository, its team and where it comes from.</summary>
internal sealed record KnownService(int? RepositoryId, int? TeamId, string Origin);

internal sealed record PreloadedService(int Id, string Name, int? RepositoryId, int? TeamId, string Origin);

internal sealed record DescribedService
{
    public int Id { get; init; }
    public string Origin { get; init; } = "";
    public string? Path { get; init; }
    public int? RepositoryId { get; init; }
    public string? Repository { get; init; }
}
