using System.Data;
using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DoraCollector.Metrics;

/// <summary>
/// Computes this replica's snapshots, the first in full and the next ones incrementally
/// (docs/metrics.md, "The snapshot"): it keeps every service's facts in memory, reloads only
/// those of the services whose domain rows changed since it last read (<see cref="SnapshotTouches"/>,
/// any replica's writes), and measures again only the series whose facts in some window may
/// differ: those services, their teams and the organisation, and any service with a fact on a
/// window or day boundary the new <c>now</c> has moved across. Every series is thereby what a full
/// computation at the same <c>now</c> gives. A full computation runs every
/// <c>Dora:Metrics:FullSnapshotInterval</c>, when the metric rules change, and if the clock goes back.
/// </summary>
internal sealed class SnapshotBuilder(NpgsqlDataSource db, MetricsEngine engine, IOptionsMonitor<MetricsOptions> options, TimeProvider clock)
{
    private State? _state;

    /// <summary>Whether the last snapshot was incremental; for logs and the benchmark.</summary>
    public bool LastWasIncremental { get; private set; }

    /// <summary>How many services the last incremental snapshot measured again (touched or on a boundary).</summary>
    public int LastRemeasured { get; private set; }

    /// <summary>Forgets everything: the next snapshot is a full one.</summary>
    public void Reset() => _state = null;

    public async Task<DoraSnapshot> ComputeAsync(CancellationToken ct)
    {
        var stopwatch = Stopwatch.StartNew();
        var now = clock.GetUtcNow();
        var current = options.CurrentValue;
        var state = _state;
        var full = state is null || !ReferenceEquals(state.Options, current) || now < state.Now
                   || now - state.FullAt >= current.FullSnapshotInterval;

        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var horizon = await SnapshotTouches.HorizonAsync(conn, tx, ct);
        var services = (await conn.QueryAsync<ServiceInfo>(new CommandDefinition(
            "SELECT s.id AS Id, s.name AS Name, t.name AS Team FROM services s LEFT JOIN teams t ON t.id = s.team_id",
            transaction: tx, cancellationToken: ct))).ToDictionary(s => s.Id);
        var windows = engine.TrailingWindows(now);
        var from = windows.Min(w => w.From);

        Dictionary<int, ServiceFacts> facts;
        HashSet<int>? dirty = null;
        if (full)
        {
            // What was kept goes before the new facts come: at thousands of services, both at once
            // would double the memory the facts take.
            (_state, state) = (null, null);
            facts = await ServiceFactsLoader.LoadAsync(conn, tx, from, current.LeadTimeStart, ids: null, ct);
        }
        else
        {
            facts = state!.Facts;
            var touched = (await SnapshotTouches.SinceAsync(conn, tx, state.Horizon, ct)).ToHashSet();
            touched.UnionWith(services.Keys.Where(id => !facts.ContainsKey(id)));
            foreach (var removed in facts.Keys.Where(id => !services.ContainsKey(id)).ToList())
            {
                facts.Remove(removed);
            }

            if (touched.Count > 0)
            {
                foreach (var (id, reloaded) in await ServiceFactsLoader.LoadAsync(conn, tx, from, current.LeadTimeStart, [.. touched], ct))
                {
                    facts[id] = reloaded;
                }
            }

            dirty = touched;
            dirty.UnionWith(state.Services.Where(s => !services.TryGetValue(s.Key, out var now) || now != s.Value).Select(s => s.Key));
            var boundaries = Boundaries(windows);
            dirty.UnionWith(facts.Where(f => !dirty.Contains(f.Key) && Crosses(f.Value, state.Now.UtcTicks, now.UtcTicks, boundaries)).Select(f => f.Key));
        }

        var unattributed = await MetricFactsLoader.UnattributedAsync(conn, from, now, ct);
        await tx.CommitAsync(ct);

        var calculator = new DoraCalculator(current);
        var buckets = facts.Where(f => services.ContainsKey(f.Key))
            .SelectMany(f => f.Value.Buckets.Values.Where(b => f.Value.Totals.ContainsKey(b.Environment) || HasIncidentIn(b, from.UtcTicks, now.UtcTicks)))
            .ToList();
        var unresolved = buckets.Sum(b => Unresolved(b, from.UtcTicks, now.UtcTicks));
        var reuse = dirty is null ? null : Reuse(state!, services, dirty);
        var series = calculator.Compute(buckets, services, windows, reuse);

        var serviceList = services.Values.ToList();
        var totals = facts.Where(f => services.ContainsKey(f.Key))
            .SelectMany(f => f.Value.Totals.Select(t => (f.Key, t.Key, t.Value)))
            .ToList();
        var latest = facts.Where(f => services.ContainsKey(f.Key)).SelectMany(f => Latest(f.Key, f.Value, now.UtcTicks)).ToList();
        var longest = windows.MinBy(w => w.From)!.Label;
        var discarded = series.Where(s => s.Key.Scope == SeriesKey.OrganizationScope && s.Window == longest).Sum(s => s.Values.DiscardedLeadTimes);

        _state = new State(current, full ? now : state!.FullAt, now, horizon, facts, services, series
            .GroupBy(s => s.Key).ToDictionary(g => g.Key, g => (IReadOnlyList<SeriesValues>)g.ToList()));
        LastWasIncremental = !full;
        LastRemeasured = dirty?.Count ?? services.Count;
        return new DoraSnapshot(now, stopwatch.Elapsed, windows.Select(w => w.Label).ToList(), series,
            MetricsEngine.RollUpTotals(serviceList, totals, calculator), new DataQuality(unattributed, discarded, unresolved))
        {
            Latest = MetricsEngine.ServiceLatest(serviceList, latest, calculator),
        };
    }

    // A service's series are reused when it is clean; a team's when none of its services (now or at
    // the last snapshot) is dirty; the organisation's only when no service is.
    private static Func<SeriesKey, IReadOnlyList<SeriesValues>?> Reuse(State state, Dictionary<int, ServiceInfo> services, HashSet<int> dirty)
    {
        var dirtyNames = new HashSet<string>(StringComparer.Ordinal);
        var dirtyTeams = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in dirty)
        {
            foreach (var info in (ServiceInfo?[])[services.GetValueOrDefault(id), state.Services.GetValueOrDefault(id)])
            {
                if (info is not null)
                {
                    dirtyNames.Add(info.Name);
                    if (info.Team is not null)
                    {
                        dirtyTeams.Add(info.Team);
                    }
                }
            }
        }

        return key =>
        {
            var clean = key.Scope switch
            {
                SeriesKey.ServiceScope => !dirtyNames.Contains(key.Service!),
                SeriesKey.TeamScope => !dirtyTeams.Contains(key.Team!),
                _ => dirty.Count == 0,
            };
            return clean ? state.Series.GetValueOrDefault(key) : null;
        };
    }

    // How far back from now a window or a day slot begins: a fact this far back from the old and
    // the new now may have moved in or out of a window or between day slots.
    private static long[] Boundaries(IReadOnlyList<MetricWindow> windows)
    {
        var offsets = new SortedSet<long> { 0 };
        foreach (var window in windows)
        {
            offsets.Add((window.To - window.From).Ticks);
            for (var k = 1; k < window.DaySlots; k++)
            {
                offsets.Add(TimeSpan.TicksPerDay * k);
            }
        }

        return [.. offsets];
    }

    // Whether some fact's time lies within [old − offset, new − offset] for some boundary offset:
    // then the service is measured again (a conservative test: most such facts change nothing).
    private static bool Crosses(ServiceFacts facts, long previous, long now, long[] boundaries)
    {
        foreach (var bucket in facts.Buckets.Values)
        {
            foreach (var offset in boundaries)
            {
                long low = previous - offset, high = now - offset;
                if (FactBucket.AnyIn(bucket.Deployments, low, high, static d => d.Finished)
                    || FactBucket.AnyIn(bucket.Changes, low, high, static c => c.Deployed)
                    || bucket.Incidents.Any(i => (i.Started >= low && i.Started <= high) || (i.IsResolved && i.Resolved >= low && i.Resolved <= high)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // MetricFactsLoader.UnresolvedCondition over (from, now].
    private static int Unresolved(FactBucket bucket, long from, long now)
    {
        var count = 0;
        for (int at = FactBucket.After(bucket.Deployments, from, static d => d.Finished), end = FactBucket.After(bucket.Deployments, now, static d => d.Finished); at < end; at++)
        {
            count += bucket.Deployments[at].IsUnresolved && !bucket.Deployments[at].IsRedeploy ? 1 : 0;
        }

        return count;
    }

    // The condition of MetricFactsLoader's incidents over (from, now].
    private static bool HasIncidentIn(FactBucket bucket, long from, long now) =>
        bucket.Incidents.Any(i => (i.IsResolved && i.Resolved > from && i.Resolved <= now) || (i.Started <= now && (!i.IsResolved || i.Resolved > now)));

    // MetricFactsLoader's latest query, from the facts after LoadedFrom and the latest up to it.
    private static IEnumerable<MetricFactsLoader.LatestRow> Latest(int serviceId, ServiceFacts facts, long now)
    {
        foreach (var environment in facts.Buckets.Keys.Union(facts.LatestBefore.Keys))
        {
            var (deployed, started) = facts.LatestBefore.GetValueOrDefault(environment);
            if (facts.Buckets.TryGetValue(environment, out var bucket))
            {
                var deployments = bucket.Deployments;
                for (var at = FactBucket.After(deployments, now, static d => d.Finished) - 1; at >= 0; at--)
                {
                    if (deployments[at].IsLive)
                    {
                        deployed = Math.Max(deployed, deployments[at].Finished);
                        break;
                    }
                }

                foreach (var incident in bucket.Incidents.Where(i => i.Started <= now))
                {
                    started = Math.Max(started, incident.Started);
                }
            }

            if (deployed != 0 || started != 0)
            {
                yield return new MetricFactsLoader.LatestRow
                {
                    ServiceId = serviceId,
                    Environment = environment,
                    DeploymentFinishedAt = deployed == 0 ? null : new DateTimeOffset(deployed, TimeSpan.Zero),
                    IncidentStartedAt = started == 0 ? null : new DateTimeOffset(started, TimeSpan.Zero),
                };
            }
        }
    }

    private sealed record State(
        MetricsOptions Options,
        DateTimeOffset FullAt,
        DateTimeOffset Now,
        string Horizon,
        Dictionary<int, ServiceFacts> Facts,
        Dictionary<int, ServiceInfo> Services,
        Dictionary<SeriesKey, IReadOnlyList<SeriesValues>> Series);
}
