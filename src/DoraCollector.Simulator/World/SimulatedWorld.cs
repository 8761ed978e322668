using DoraCollector.Simulator.ArgoCd;
using DoraCollector.Simulator.GitHub;
using DoraCollector.Simulator.Model;
using DoraCollector.Simulator.Truth;

namespace DoraCollector.Simulator.World;

/// <summary>
/// The organisation living through time: one queue of events in time order (a day's plans made
/// at its midnight, then commits, merges, rollouts, alerts), one random sequence consumed in that
/// order, so the same seed and start give the same history however far and in however many steps
/// it is advanced. Every event changes the upstream state the fakes serve (repositories, Argo CD
/// Applications), records its facts in the <see cref="Timeline"/>, and queues the webhooks its
/// senders would post (<see cref="TakeDeliveries"/>).
/// </summary>
internal sealed partial class SimulatedWorld
{
    private readonly Random _random;
    private readonly PriorityQueue<Action, (DateTimeOffset At, long Sequence)> _events = new();
    private readonly Dictionary<string, Pipeline> _pipelines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(DateTimeOffset At, string Sha)>> _heads = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SimulatedAlert> _firing = new(StringComparer.Ordinal);
    private readonly List<Delivery> _outbox = [];
    private long _sequence;
    private long _deliveries;
    private long _factSequence;
    private int _names;

    public SimulatedWorld(Organization organization, Credentials credentials, int seed, DateTimeOffset start)
    {
        Organization = organization;
        Credentials = credentials;
        Start = start;
        Now = start;
        _random = new Random(seed);
        _clusterRandom = new Random(unchecked(seed * 31) + 7);
        _fluxClusterRandom = new Random(unchecked(seed * 37) + 11);
        _gitOpsRandom = new Random(unchecked(seed * 41) + 13);
        _buildRandom = new Random(unchecked(seed * 43) + 17);
        foreach (var service in organization.Services)
        {
            Timeline.Services.Add(new CatalogEntry(service.Name, service.Team, service.Repository.FullName, service.Path,
                service.AlertLabel == "app" ? [service.AlertValue] : []));
            _pipelines[service.Name] = new Pipeline(service, organization.TeamOf(service));
        }

        foreach (var repository in organization.Repositories.Concat(organization.GitOps is { } gitOps ? [gitOps] : []))
        {
            Repositories[repository.FullName] = new GitHubRepository(repository.FullName);
            _heads[repository.FullName] = [];
            Timeline.Repository(repository.FullName);
        }

        Setup();
    }

    public Organization Organization { get; }

    public Credentials Credentials { get; }

    /// <summary>When the simulated history begins.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>How far the organisation has lived.</summary>
    public DateTimeOffset Now { get; private set; }

    public Timeline Timeline { get; } = new();

    /// <summary>The repositories the fake GitHub serves.</summary>
    public Dictionary<string, GitHubRepository> Repositories { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Held while a repository changes: the fake GitHub's lock once it serves them.</summary>
    public Lock GitHubGate { get; set; } = new();

    /// <summary>Every Argo CD Application, as the fake Argo CD lists them.</summary>
    public IEnumerable<ArgoCdApplication> ArgoApplications =>
        _pipelines.Values.SelectMany(p => p.Lanes).SelectMany(l => l.Followers.Select(f => f.Argo).Prepend(l.Argo)).OfType<ArgoCdApplication>();

    /// <summary>Raised after an Argo CD Application changed.</summary>
    public event Action? ArgoCdChanged;

    /// <summary>Runs every event up to <paramref name="until"/>.</summary>
    public void AdvanceTo(DateTimeOffset until)
    {
        while (_events.TryPeek(out _, out var next) && next.At <= until)
        {
            var action = _events.Dequeue();
            Now = next.At;
            _argoChanged = false;
            action();
            if (_argoChanged)
            {
                ArgoCdChanged?.Invoke();
            }
        }

        if (until > Now)
        {
            Now = until;
        }
    }

    /// <summary>The webhooks queued since the last call, in the order they happened.</summary>
    public IReadOnlyList<Delivery> TakeDeliveries()
    {
        var taken = _outbox.ToList();
        _outbox.Clear();
        return taken;
    }

    private bool _argoChanged;

    /// <summary>Runs <paramref name="action"/> at <paramref name="when"/> (at once if that has passed), after what is queued for the same instant.</summary>
    private void At(DateTimeOffset when, Action action) => _events.Enqueue(action, (when < Now ? Now : when, _sequence++));

    private void After(TimeSpan delay, Action action) => At(Now + delay, action);

    private void Emit(DeliveryKind kind, string path, string body, params KeyValuePair<string, string>[] headers) =>
        _outbox.Add(new Delivery(Now, kind, path, body, headers));

    private void EmitGitHub((string Event, string Body) delivery)
    {
        var id = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{Credentials.GitHubWebhookSecret}:{_deliveries++}"));
        Emit(DeliveryKind.GitHub, "/webhooks/github", delivery.Body,
            new("Content-Type", "application/json"), new("User-Agent", "GitHub-Hookshot/f0a5b1c"), new("X-GitHub-Event", delivery.Event),
            new("X-GitHub-Delivery", new Guid(id.AsSpan(0, 16)).ToString()),
            new("X-Hub-Signature-256", Sending.WebhookSignatures.Sha256(Credentials.GitHubWebhookSecret, delivery.Body)));
    }

    private long NextFact() => _factSequence++;

    private string NextName(string prefix) => $"{prefix}{_names++}";

    private bool Chance(double probability) => _random.NextDouble() < probability;

    private TimeSpan Minutes(double min, double max) => TimeRange.Minutes(min, max).Draw(_random);

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    private int Weighted(params int[] weights)
    {
        var roll = _random.Next(weights.Sum());
        for (var i = 0; i < weights.Length; i++)
        {
            if ((roll -= weights[i]) < 0)
            {
                return i;
            }
        }

        return weights.Length - 1;
    }

    /// <summary>How many of something happen when <paramref name="rate"/> are expected: its whole part, and one more by chance.</summary>
    private int Count(double rate) => (int)Math.Floor(rate) + (Chance(rate - Math.Floor(rate)) ? 1 : 0);

    private static DateTimeOffset Midnight(DateTimeOffset t) => new(t.UtcDateTime.Date, TimeSpan.Zero);

    private static bool IsWeekend(DateTimeOffset day) => day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    /// <summary>A moment of the working day (08:00 to 18:00 UTC), to the second.</summary>
    private DateTimeOffset WorkTime(DateTimeOffset day) => day.AddHours(8).AddSeconds(_random.Next(10 * 3600));
}
