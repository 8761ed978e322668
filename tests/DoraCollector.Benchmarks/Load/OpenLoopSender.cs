using System.Diagnostics;
using System.Net.Http.Headers;

namespace DoraCollector.Benchmarks.Load;

/// <summary>
/// Sends deliveries open-loop: the i-th is due at start + i / rate whatever the collector does,
/// as independent senders post, so a slow answer cannot hold back the load (no coordinated
/// omission). Each acknowledgement is timed from the moment its delivery was due; a sender that
/// falls behind its schedule therefore shows in the latencies, never hides in them. Requests go
/// over at most <c>connections</c> keep-alive HTTP/1.1 connections; bodies and headers are
/// prepared beforehand, so a request allocates little more than its message.
/// </summary>
internal sealed class OpenLoopSender(Uri collector, int connections) : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
    })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    private readonly Dictionary<string, Uri> _uris = new(StringComparer.Ordinal);

    public async Task<SendResults> SendAsync(IReadOnlyList<PreparedDelivery> deliveries, double rate)
    {
        foreach (var path in deliveries.Select(d => d.Path).Distinct())
        {
            _uris[path] = new Uri(collector, path);
        }

        var results = new SendResults(deliveries.Count);
        var interval = Stopwatch.Frequency / rate;
        var sends = new Task[deliveries.Count];
        var start = Stopwatch.GetTimestamp() + (Stopwatch.Frequency / 100);
        results.Start = start;
        var next = 0;
        while (next < deliveries.Count)
        {
            var now = Stopwatch.GetTimestamp();
            for (long due; next < deliveries.Count && (due = start + (long)(next * interval)) <= now; next++)
            {
                sends[next] = SendOneAsync(deliveries[next], next, due, results);
            }

            if (next < deliveries.Count)
            {
                // Timers tick about every millisecond: at 2,000 a second each tick sends the two or three that fell due.
                await Task.Delay(1);
            }
        }

        await Task.WhenAll(sends);
        return results;
    }

    public void Dispose() => _client.Dispose();

    private async Task SendOneAsync(PreparedDelivery delivery, int index, long due, SendResults results)
    {
        var started = Stopwatch.GetTimestamp();
        var status = 0;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _uris[delivery.Path]) { Content = new ByteArrayContent(delivery.Body) };
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(delivery.ContentType);
            foreach (var (name, value) in delivery.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            status = (int)response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            results.Failed(index, e.Message);
        }

        results.Record(index, status, due, started, Stopwatch.GetTimestamp());
    }
}
