using System.Globalization;
using System.Text;
using DoraCollector.Simulator.ArgoCd;
using DoraCollector.Simulator.GitHub;
using DoraCollector.Simulator.Model;
using DoraCollector.Simulator.Sending;
using DoraCollector.Simulator.Truth;
using DoraCollector.Simulator.World;

namespace DoraCollector.Simulator;

/// <summary>
/// A simulated engineering organisation played against a collector through its real ingestion
/// paths only. <see cref="Create"/> builds the organisation and its history up to
/// <see cref="SimulationOptions.Now"/>; <see cref="StartAsync"/> serves the history on loopback
/// fakes of the GitHub and Argo CD APIs; <see cref="SendBackfillAsync"/> posts what has no
/// pollable history (Flux events, Alertmanager and Argo CD notifications); <see cref="AdvanceAsync"/>
/// and <see cref="RunAsync"/> keep it living, updating the fakes and posting every webhook as it
/// happens. <see cref="Expected"/> is what the collector must then publish.
/// </summary>
public sealed class Simulation : IAsyncDisposable
{
    private readonly SimulatedWorld _world;
    private readonly IReadOnlyList<Delivery> _backfill;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _living = new();
    private GitHubServer? _github;
    private ArgoCdServer? _argoCd;

    private Simulation(SimulationOptions options, SimulatedWorld world, TimeProvider clock)
    {
        Options = options;
        _world = world;
        Clock = clock;
        _backfill = world.TakeDeliveries();
    }

    public SimulationOptions Options { get; }

    /// <summary>The simulation's time (faster than the real clock while it catches up).</summary>
    public TimeProvider Clock { get; }

    /// <summary>How far the organisation has lived.</summary>
    public DateTimeOffset Now => _world.Now;

    /// <summary>When its history begins.</summary>
    public DateTimeOffset Start => _world.Start;

    /// <summary>The fake GitHub's <c>Dora:GitHub:ApiUrl</c>, once started.</summary>
    public Uri? GitHubApiUrl => _github is null ? null : new Uri(_github.ApiUrl);

    /// <summary>The fake Argo CD's <c>Dora:ArgoCd:ServerUrl</c>, once started.</summary>
    public Uri? ArgoCdUrl => _argoCd?.Url;

    internal SimulatedWorld World => _world;

    /// <summary>The fake GitHub once started (a benchmark reads the rate limit the collector spent).</summary>
    internal GitHubServer? GitHubServer => _github;

    /// <summary>Every webhook of the history before <see cref="Now"/> at creation, GitHub's included (a load generator may send them all).</summary>
    internal IReadOnlyList<Delivery> Backfill => _backfill;

    /// <summary>Builds the organisation and lives its history up to <see cref="SimulationOptions.Now"/>.</summary>
    /// <exception cref="ArgumentException">The options are not usable (see <see cref="SimulationOptions.Problems"/>).</exception>
    public static Simulation Create(SimulationOptions options)
    {
        if (options.Problems() is { Count: > 0 } problems)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(options));
        }

        var realNow = options.Clock.GetUtcNow();
        var gain = options.Speed > 1 && options.CatchUp is { } catchUp ? catchUp * (options.Speed - 1) : TimeSpan.Zero;
        var now = options.Now ?? DateTimeOffset.FromUnixTimeSeconds((realNow - gain).ToUnixTimeSeconds());
        var organization = OrganizationBuilder.Build(options.Seed, options.Owner, options.Teams, options.Services, options.MonorepoServices,
            options.ClusterServices, options.GitOpsServices);
        var world = new SimulatedWorld(organization, Credentials.For(options.Seed), options.Seed, now.AddDays(-options.Days));
        world.AdvanceTo(now);
        var clock = options.Speed == 1 && options.Now is null
            ? options.Clock
            : new SimulationClock(options.Clock, now, options.Speed, options.CatchUp);
        return new Simulation(options, world, clock);
    }

    /// <summary>What the simulated organisation is made of, for people.</summary>
    public string Describe()
    {
        var organization = _world.Organization;
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture,
            $"{organization.Owner}: {organization.Teams.Count} teams, {organization.Services.Count} services in {organization.Repositories.Count} repositories, history from {Start:yyyy-MM-dd HH:mm} to {Now:yyyy-MM-dd HH:mm} UTC");
        foreach (var team in organization.Teams)
        {
            var services = organization.Services.Where(s => s.Team == team.Name)
                .Select(s => $"{s.Name} ({s.Repository.FullName}{(s.Path is null ? "" : $":{s.Path}")}, {Tool(s.Tool)})");
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  {team.Name} [{team.Profile.Performance.ToString().ToLowerInvariant()}, {team.Engineers.Count} engineers, {Cadence(team.Profile.Cadence)}]: {string.Join(", ", services)}");
        }

        return text.ToString();
    }

    /// <summary>The catalog YAML for <c>Dora:Catalog:File</c>.</summary>
    public string CatalogYaml() => CollectorConfiguration.CatalogYaml(_world.Organization);

    /// <summary>Serves the fake GitHub and Argo CD on loopback ports (<see cref="SimulationOptions.GitHubPort"/>, <see cref="SimulationOptions.ArgoCdPort"/>).</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        if (_github is not null)
        {
            return;
        }

        _github = await GitHubServer.StartAsync(Clock, _world.Credentials.GitHubToken, Options.GitHubPort, ct: ct);
        lock (_github.Gate)
        {
            foreach (var (name, repository) in _world.Repositories)
            {
                _github.Repositories[name] = repository;
            }

            _world.GitHubGate = _github.Gate;
        }

        _argoCd = await ArgoCdServer.StartAsync(_world.Credentials.ArgoCdToken, Options.ArgoCdPort, ct);
        _world.ArgoCdChanged += ServeArgoCd;
        ServeArgoCd();
    }

    /// <summary>The collector's settings for the fakes (after <see cref="StartAsync"/>), with <c>Dora:Catalog:File</c> when given.</summary>
    /// <exception cref="InvalidOperationException">The fakes are not started.</exception>
    public IReadOnlyDictionary<string, string?> CollectorSettings(string? catalogFile = null) =>
        CollectorConfiguration.Settings(_world.Organization, _world.Credentials, Options.Days,
            _github?.ApiUrl ?? throw new InvalidOperationException("start the simulation first"), _argoCd!.Url.ToString(), catalogFile);

    /// <summary>
    /// Writes <c>catalog.yaml</c>, <c>collector.env</c> (environment variables) and
    /// <c>collector.json</c> (the same settings) to <paramref name="directory"/>, and returns the settings.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string?>> WriteCollectorFilesAsync(string directory, CancellationToken ct = default)
    {
        Directory.CreateDirectory(directory);
        var catalog = Path.GetFullPath(Path.Combine(directory, "catalog.yaml"));
        await File.WriteAllTextAsync(catalog, CatalogYaml(), ct);
        var settings = CollectorSettings(catalog);
        await File.WriteAllTextAsync(Path.Combine(directory, "collector.env"), CollectorConfiguration.EnvironmentFile(settings), ct);
        await File.WriteAllTextAsync(Path.Combine(directory, "collector.json"), CollectorConfiguration.JsonFile(settings), ct);
        return settings;
    }

    /// <summary>Every deployment and incident as the definitions judge them now, one a line, for people.</summary>
    public string Explain()
    {
        TruthProjection projection;
        lock (_living)
        {
            projection = TruthEngine.Project(_world.Timeline, Now, TruthRules.Default);
        }

        var text = new StringBuilder();
        foreach (var deployment in projection.Deployments)
        {
            text.AppendLine(deployment.ToString());
        }

        foreach (var incident in projection.Incidents)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"incident {incident.Service}/{incident.Environment} {incident.StartedAt:O} to {incident.ResolvedAt?.ToString("O", CultureInfo.InvariantCulture) ?? "open"} ({incident.Signals.Count} signals) -> {incident.Deployment?.ToString() ?? "no deployment"}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"unattributed signals: {projection.Unattributed.Count}");
        return text.ToString();
    }

    /// <summary>The DORA values the collector must publish for the organisation as it is now.</summary>
    public ExpectedMetrics Expected()
    {
        lock (_living)
        {
            return TruthMetrics.Compute(_world.Timeline, Now);
        }
    }

    /// <summary>
    /// Posts the history that the fakes cannot be asked for, in the order it happened: Flux events,
    /// Alertmanager notifications and Argo CD notifications (failed syncs leave no history entry).
    /// GitHub's webhooks of the past are not sent: the collector's poll reads that history.
    /// </summary>
    /// <param name="collector">An <see cref="HttpClient"/> whose base address is the collector.</param>
    public async Task<WebhookReport> SendBackfillAsync(HttpClient collector, Action<string>? refused = null, CancellationToken ct = default) =>
        await new WebhookSender(collector, Options.Clock).SendAsync(_backfill.Where(d => !d.Pollable), refused, ct);

    /// <summary>Lives up to <paramref name="until"/>: the fakes change, and every webhook of what happened is posted.</summary>
    public async Task<WebhookReport> AdvanceAsync(DateTimeOffset until, HttpClient collector, Action<string>? refused = null, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            IReadOnlyList<Delivery> deliveries;
            lock (_living)
            {
                _world.AdvanceTo(until);
                deliveries = _world.TakeDeliveries();
            }

            return await new WebhookSender(collector, Options.Clock).SendAsync(deliveries, refused, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Keeps living on <see cref="Clock"/> until cancelled, posting webhooks as things happen; <paramref name="lived"/> after each step.</summary>
    public async Task RunAsync(HttpClient collector, Func<WebhookReport, Task>? lived = null, Action<string>? refused = null, CancellationToken ct = default)
    {
        while (!ct.IsCancellationRequested)
        {
            var report = await AdvanceAsync(Clock.GetUtcNow(), collector, refused, ct);
            if (lived is not null)
            {
                await lived(report);
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), Options.Clock, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Waits until the collector answers <c>/readyz</c> (it may start after the simulation).</summary>
    public async Task WaitForCollectorAsync(HttpClient collector, CancellationToken ct = default)
    {
        while (true)
        {
            try
            {
                using var response = await collector.GetAsync("readyz", ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not up yet.
            }

            await Task.Delay(TimeSpan.FromSeconds(1), Options.Clock, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _world.ArgoCdChanged -= ServeArgoCd;
        if (_github is not null)
        {
            await _github.DisposeAsync();
        }

        if (_argoCd is not null)
        {
            await _argoCd.DisposeAsync();
        }

        _gate.Dispose();
    }

    private void ServeArgoCd() => _argoCd?.Serve(_world.ArgoApplications.Select(a => a.ToJson()).ToArray());

    private static string Tool(DeployTool tool) => tool switch
    {
        DeployTool.ArgoCd => "Argo CD",
        DeployTool.Flux => "Flux",
        _ => "GitHub deployments",
    };

    private static string Cadence(DeployCadence cadence) => cadence switch
    {
        DeployCadence.Continuous => "continuous delivery",
        DeployCadence.TwiceDaily => "two releases a day",
        DeployCadence.Daily => "daily releases",
        _ => "weekly release train",
    };
}
