using System.Collections.Concurrent;
using DoraCollector.Exposition;

namespace DoraCollector.Hosting;

/// <summary>
/// The collector's own counters (per replica, since start): ingested events and errors per
/// source, webhook rejections and ignored events by reason, how long webhooks took to answer, job runs. Rendered as
/// <c>dora_collector_*</c>.
/// </summary>
internal sealed class CollectorTelemetry(TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, SourceCounters> _sources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Source, string Reason), long> _rejections = new();
    private readonly ConcurrentDictionary<string, LatencyHistogram> _webhookDurations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JobCounters> _jobs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _historyGaps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Source, string Reason), long> _ignored = new();
    private readonly ConcurrentDictionary<(string Api, string Outcome), long> _githubRequests = new();
    private readonly ConcurrentDictionary<string, long> _githubRateLimits = new(StringComparer.Ordinal);

    /// <summary><paramref name="events"/> payloads of <paramref name="source"/> were stored and mapped.</summary>
    public void Ingested(string source, int events = 1)
    {
        var counters = _sources.GetOrAdd(source, _ => new SourceCounters());
        Interlocked.Add(ref counters.Events, events);
        Interlocked.Exchange(ref counters.LastSuccessUnixMs, clock.GetUtcNow().ToUnixTimeMilliseconds());
    }

    /// <summary>A payload of <paramref name="source"/> could not be stored or mapped, or a poll failed.</summary>
    public void IngestFailed(string source, int events = 1) =>
        Interlocked.Add(ref _sources.GetOrAdd(source, _ => new SourceCounters()).Errors, events);

    /// <summary>A webhook request was refused (reason: <c>signature</c>, <c>unauthorized</c>, <c>malformed</c>, ...).</summary>
    public void WebhookRejected(string source, string reason) =>
        _rejections.AddOrUpdate((source, reason), 1, (_, n) => n + 1);

    /// <summary>A webhook or ingest API request of <paramref name="source"/> was answered (whatever the answer) <paramref name="elapsed"/> after it arrived.</summary>
    public void WebhookAnswered(string source, TimeSpan elapsed) =>
        _webhookDurations.GetOrAdd(source, _ => new LatencyHistogram()).Observe(elapsed);

    /// <summary>
    /// A source's bounded history (Argo CD's <c>revisionHistoryLimit</c>, Flux's five
    /// <c>status.history</c> entries) moved on by more than it holds between two reads: about
    /// <paramref name="entries"/> rollouts may have been missed.
    /// </summary>
    public void HistoryGap(string source, long entries) =>
        _historyGaps.AddOrUpdate(source, entries, (_, n) => n + entries);

    /// <summary>
    /// <paramref name="events"/> stored events of <paramref name="source"/> were ignored when mapped
    /// (reason: <c>implausible_time</c>, <c>name_too_long</c>, <c>no_mapper</c>).
    /// </summary>
    public void EventsIgnored(string source, string reason, int events = 1) =>
        _ignored.AddOrUpdate((source, reason), events, (_, n) => n + events);

    public void JobFinished(string job, TimeSpan duration, bool succeeded)
    {
        var counters = _jobs.GetOrAdd(job, _ => new JobCounters());
        Interlocked.Increment(ref succeeded ? ref counters.Runs : ref counters.Failures);
        Interlocked.Exchange(ref counters.LastDurationMicros, (long)(duration.TotalMilliseconds * 1000));
    }

    /// <summary>A request to the GitHub <paramref name="api"/> (<c>rest</c>, <c>graphql</c>) ended with <paramref name="outcome"/>.</summary>
    public void GitHubRequest(string api, string outcome) =>
        _githubRequests.AddOrUpdate((api, outcome), 1, (_, n) => n + 1);

    /// <summary>What GitHub last said is left of the primary rate limit of <paramref name="resource"/> (<c>core</c>, <c>graphql</c>).</summary>
    public void GitHubRateLimit(string resource, long remaining) => _githubRateLimits[resource] = remaining;

    public TelemetryReading Read() => new(
        _sources.Select(s => new SourceReading(
                s.Key,
                Interlocked.Read(ref s.Value.Events),
                Interlocked.Read(ref s.Value.Errors),
                Interlocked.Read(ref s.Value.LastSuccessUnixMs) is var ms and > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null))
            .OrderBy(s => s.Source, StringComparer.Ordinal).ToList(),
        _rejections.Select(r => new RejectionReading(r.Key.Source, r.Key.Reason, r.Value))
            .OrderBy(r => r.Source, StringComparer.Ordinal).ThenBy(r => r.Reason, StringComparer.Ordinal).ToList(),
        _jobs.Select(j => new JobReading(
                j.Key,
                Interlocked.Read(ref j.Value.Runs),
                Interlocked.Read(ref j.Value.Failures),
                TimeSpan.FromMilliseconds(Interlocked.Read(ref j.Value.LastDurationMicros) / 1000.0)))
            .OrderBy(j => j.Job, StringComparer.Ordinal).ToList(),
        _historyGaps.Select(g => new HistoryGapReading(g.Key, g.Value)).OrderBy(g => g.Source, StringComparer.Ordinal).ToList(),
        _webhookDurations.Select(w => new WebhookDurationReading(w.Key, w.Value.Read())).OrderBy(w => w.Source, StringComparer.Ordinal).ToList(),
        new GitHubReading(
            _githubRequests.Select(r => new GitHubRequestReading(r.Key.Api, r.Key.Outcome, r.Value))
                .OrderBy(r => r.Api, StringComparer.Ordinal).ThenBy(r => r.Outcome, StringComparer.Ordinal).ToList(),
            _githubRateLimits.Select(r => new GitHubRateLimitReading(r.Key, r.Value)).OrderBy(r => r.Resource, StringComparer.Ordinal).ToList()),
        _ignored.Select(i => new IgnoredReading(i.Key.Source, i.Key.Reason, i.Value))
            .OrderBy(i => i.Source, StringComparer.Ordinal).ThenBy(i => i.Reason, StringComparer.Ordinal).ToList());

    private sealed class SourceCounters
    {
        public long Events;
        public long Errors;
        public long LastSuccessUnixMs;
    }

    private sealed class JobCounters
    {
        public long Runs;
        public long Failures;
        public long LastDurationMicros;
    }
}

internal sealed record TelemetryReading(
    IReadOnlyList<SourceReading> Sources, IReadOnlyList<RejectionReading> Rejections, IReadOnlyList<JobReading> Jobs,
    IReadOnlyList<HistoryGapReading> HistoryGaps, IReadOnlyList<WebhookDurationReading> WebhookDurations,
    GitHubReading? GitHub = null, IReadOnlyList<IgnoredReading>? Ignored = null);

internal sealed record SourceReading(string Source, long Events, long Errors, DateTimeOffset? LastSuccessAt);

internal sealed record RejectionReading(string Source, string Reason, long Count);

/// <summary>Stored events of a source ignored when mapped, for a reason.</summary>
internal sealed record IgnoredReading(string Source, string Reason, long Count);

/// <summary>How long the webhook requests of a source took to answer.</summary>
internal sealed record WebhookDurationReading(string Source, HistogramReading Durations);

internal sealed record JobReading(string Job, long Runs, long Failures, TimeSpan LastDuration);

internal sealed record HistoryGapReading(string Source, long Entries);

/// <summary>GitHub requests by API and outcome, and the rate limit left per resource.</summary>
internal sealed record GitHubReading(IReadOnlyList<GitHubRequestReading> Requests, IReadOnlyList<GitHubRateLimitReading> RateLimits);

internal sealed record GitHubRequestReading(string Api, string Outcome, long Count);

internal sealed record GitHubRateLimitReading(string Resource, long Remaining);
