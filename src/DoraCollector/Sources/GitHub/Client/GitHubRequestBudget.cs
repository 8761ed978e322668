using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.GitHub.Client;

/// <summary>
/// The operator's cap on requests per hour (<c>Dora:GitHub:RequestBudgetPerHour</c>), over a
/// sliding hour, so the collector leaves the rest of a shared token's rate limit to others.
/// Answers of 304 cost GitHub nothing and are given back.
/// </summary>
internal sealed class GitHubRequestBudget(IOptionsMonitor<GitHubOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly LinkedList<DateTimeOffset> _spent = new();
    private readonly Lock _lock = new();

    /// <summary>Requests still allowed in the current sliding hour.</summary>
    public int Remaining
    {
        get
        {
            lock (_lock)
            {
                Expire(clock.GetUtcNow());
                return Math.Max(0, options.CurrentValue.RequestBudgetPerHour - _spent.Count);
            }
        }
    }

    /// <summary>Takes one request from the budget; false when the hour's budget is spent.</summary>
    public bool TryTake()
    {
        lock (_lock)
        {
            var now = clock.GetUtcNow();
            Expire(now);
            if (_spent.Count >= options.CurrentValue.RequestBudgetPerHour)
            {
                return false;
            }

            _spent.AddLast(now);
            return true;
        }
    }

    /// <summary>When the oldest request of the hour leaves the window (the budget grows again).</summary>
    public DateTimeOffset? NextRefill()
    {
        lock (_lock)
        {
            return _spent.First is { } oldest ? oldest.Value + Hour : null;
        }
    }

    /// <summary>Gives back a request that cost nothing (a 304).</summary>
    public void GiveBack()
    {
        lock (_lock)
        {
            if (_spent.Count > 0)
            {
                _spent.RemoveLast();
            }
        }
    }

    private void Expire(DateTimeOffset now)
    {
        while (_spent.First is { } oldest && now - oldest.Value >= Hour)
        {
            _spent.RemoveFirst();
        }
    }
}
