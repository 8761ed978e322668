using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace DoraCollector.Demo;

/// <summary>
/// A JSON webhook on a free loopback port that receives the demo's scheduled digest (the
/// organisation's last complete week, two minutes after the start) and keeps each one as
/// <c>digests/*.md</c> and <c>*.json</c> under the demo's directory.
/// </summary>
internal sealed class DemoDigest : IAsyncDisposable
{
    public const string Name = "demo-organization-weekly";

    private readonly HttpListener _listener = new();
    private readonly string _directory;
    private readonly Task _loop;
    private int _received;

    private DemoDigest(string directory, int port, DateTimeOffset sendAt)
    {
        _directory = directory;
        SendAt = sendAt;
        Url = $"http://127.0.0.1:{port}/digest";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }

    /// <summary>When the schedule fires (UTC, to the minute).</summary>
    public DateTimeOffset SendAt { get; }

    public string Directory => _directory;

    public static DemoDigest Start(string directory, DateTimeOffset now)
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var at = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(2);
        return new DemoDigest(Path.Combine(directory, "digests"), port, at);
    }

    /// <summary>The schedule: daily at <see cref="SendAt"/>; it sends once, as every digest sends once per period.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings()
    {
        const string schedule = "Dora:Digests:Schedules:0";
        yield return new($"{schedule}:Name", Name);
        yield return new($"{schedule}:Period", "week");
        yield return new($"{schedule}:Cron", string.Create(CultureInfo.InvariantCulture, $"0 {SendAt.Minute} {SendAt.Hour} * * ?"));
        yield return new($"{schedule}:WebhookUrl", Url);
        yield return new("Dora:Digests:FirstRetryDelay", "5s");
    }

    /// <summary>The first address the collector listens on, as a browser on this machine reaches it.</summary>
    public static string ReportBaseUrl(string urls)
    {
        var first = new UriBuilder(urls.Split(';', StringSplitOptions.RemoveEmptyEntries)[0]
            .Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (first.Host is "0.0.0.0" or "127.0.0.1" or "[::]" or "::")
        {
            first.Host = "localhost";
        }

        return first.Uri.GetLeftPart(UriPartial.Authority);
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using (var reader = new StreamReader(context.Request.InputStream))
            {
                var body = await reader.ReadToEndAsync();
                System.IO.Directory.CreateDirectory(_directory);
                var n = Interlocked.Increment(ref _received);
                var stem = Path.Combine(_directory, $"{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}-{n}");
                await File.WriteAllTextAsync(stem + ".json", body);
                using var json = JsonDocument.Parse(body);
                await File.WriteAllTextAsync(stem + ".md", json.RootElement.GetProperty("markdown").GetString());
                Console.WriteLine($"digest received: {stem}.md  ({json.RootElement.GetProperty("subject").GetString()})");
            }

            context.Response.StatusCode = 204;
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
