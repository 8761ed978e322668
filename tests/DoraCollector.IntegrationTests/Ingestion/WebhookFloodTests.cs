using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using DoraCollector.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace DoraCollector.IntegrationTests.Ingestion;

/// <summary>
/// Large posts without (good) credentials, or larger than a source takes, against the executable:
/// they are refused before or while their bodies are read, and together cannot take more than
/// the webhooks' memory budget.
/// </summary>
public sealed class WebhookFloodTests(ITestOutputHelper output)
{
    private const string GitHubSecret = "github-webhook-secret-0123456789";
    private const string FluxSecret = "flux-generic-hmac-key-0123456789";
    private const string ArgoCdToken = "argocd-webhook-token-0123456789";
    private const int Megabyte = 1024 * 1024;
    private const int Concurrent = 32;

    private static readonly string WrongSignature = "sha256=" + new string('0', 64);

    // Not a status: the connection was closed while the refused body was still being sent.
    private const HttpStatusCode ClosedEarly = 0;

    [Fact]
    public async Task Floods_of_large_unauthenticated_or_oversized_posts_are_refused_within_the_memory_budget()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var collector = CollectorProcess.Serve(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Dora"] = database.ConnectionString,
            ["Dora__GitHub__WebhookSecret"] = GitHubSecret,
            ["Dora__Flux__WebhookSecret"] = FluxSecret,
            ["Dora__ArgoCd__WebhookToken"] = ArgoCdToken,
        });
        await collector.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{collector.Port}"), Timeout = TimeSpan.FromSeconds(60) };
        var body = new byte[24 * Megabyte];
        Array.Fill(body, (byte)'x');
        var oversized = new byte[26 * Megabyte];

        // Every kind once, small, so what the first request of each path costs is not counted as the flood's.
        await Task.WhenAll(Requests(new byte[1024]).Select(http.SendAsync));
        await Task.Delay(1000);
        var before = collector.ResidentBytes;

        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, collector.ResidentBytes);
                await Task.Delay(20);
            }
        });

        var statuses = new ConcurrentBag<HttpStatusCode>();
        var started = DateTime.UtcNow;
        foreach (var round in new[] { Requests(body, oversized), Requests(body, oversized) })
        {
            await Task.WhenAll(round.Select(async request =>
            {
                try
                {
                    using var response = await http.SendAsync(request);
                    statuses.Add(response.StatusCode);
                }
                catch (HttpRequestException)
                {
                    // The server answered before the body was sent and closed the connection
                    // (Kestrel does not drain a refused upload): a refusal as well.
                    statuses.Add(ClosedEarly);
                }
            }));
        }

        var elapsed = DateTime.UtcNow - started;
        await Task.Delay(500);
        await sampling.CancelAsync();
        await sampler;
        var after = collector.ResidentBytes;
        output.WriteLine($"{statuses.Count} requests in {elapsed.TotalSeconds:0.0} s; RSS before {before / Megabyte} MB, peak {peak / Megabyte} MB, after {after / Megabyte} MB");
        output.WriteLine(string.Join(", ", statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{(int)g.Key}: {g.Count()}")));

        Assert.Equal(2 * Concurrent, statuses.Count);
        Assert.All(statuses, s => Assert.Contains(s, new[] { HttpStatusCode.Unauthorized, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.ServiceUnavailable, ClosedEarly }));
        Assert.True(peak - before < 150 * Megabyte, $"RSS grew from {before / Megabyte} MB to {peak / Megabyte} MB");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz")).StatusCode);
        Assert.DoesNotContain("Unhandled exception", collector.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_post_that_does_not_fit_in_the_budget_is_told_to_retry_later()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using var collector = CollectorProcess.Serve(new Dictionary<string, string?>
        {
            ["ConnectionStrings__Dora"] = database.ConnectionString,
            ["Dora__GitHub__WebhookSecret"] = GitHubSecret,
            ["Dora__Webhooks__MaxBufferedBytes"] = (25 * Megabyte).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await collector.WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{collector.Port}"), Timeout = TimeSpan.FromSeconds(60) };

        // The first holds 20 MB of the 25 while its body trickles in; the second does not fit beside it.
        var slow = new TrickleContent(20 * Megabyte);
        var first = http.SendAsync(GitHub(slow, WrongSignature));
        await slow.Started.Task;
        await Task.Delay(200);
        using var second = await http.SendAsync(GitHub(new ByteArrayContent(new byte[10 * Megabyte]), WrongSignature));
        slow.Finish();
        using var firstResponse = await first;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(5), second.Headers.RetryAfter?.Delta);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, firstResponse.StatusCode);
    }

    // A round: 32 large posts, none with credentials that let it in.
    private static List<HttpRequestMessage> Requests(byte[] body, byte[]? oversized = null)
    {
        oversized ??= body;
        var requests = new List<HttpRequestMessage>();
        for (var i = 0; requests.Count < Concurrent; i++)
        {
            requests.Add((i % 8) switch
            {
                0 => GitHub(new ByteArrayContent(body), signature: null),                    // no signature: refused unread
                1 => GitHub(new ByteArrayContent(body), "sha256=not-a-signature"),           // malformed: refused unread
                2 => GitHub(new ByteArrayContent(body), WrongSignature),                     // read within the budget, then refused
                3 => GitHub(new ChunkedContent(body), WrongSignature),                       // no Content-Length: counted as it arrives
                4 => GitHub(new ByteArrayContent(oversized), Sign(GitHubSecret, oversized)),   // signed, over 25 MB
                5 => Flux(new ByteArrayContent(body), signature: null),
                6 => Flux(new ByteArrayContent(body), Sign(FluxSecret, body)),                  // signed, over 1 MB
                _ => ArgoCd(new ByteArrayContent(body)),
            });
        }

        return requests;
    }

    private static string Sign(string secret, byte[] body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private static HttpRequestMessage GitHub(HttpContent content, string? signature)
    {
        var request = Post("/webhooks/github", content);
        request.Headers.Add("X-GitHub-Event", "push");
        request.Headers.Add("X-GitHub-Delivery", Guid.NewGuid().ToString());
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature);
        }

        return request;
    }

    private static HttpRequestMessage Flux(HttpContent content, string? signature)
    {
        var request = Post("/webhooks/flux", content);
        if (signature is not null)
        {
            request.Headers.Add("X-Signature", signature);
        }

        return request;
    }

    private static HttpRequestMessage ArgoCd(HttpContent content)
    {
        var request = Post("/webhooks/argocd", content);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token-0123456789");
        return request;
    }

    private static HttpRequestMessage Post(string path, HttpContent content)
    {
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
    }

    /// <summary>A body sent chunked, without <c>Content-Length</c>.</summary>
    private sealed class ChunkedContent(byte[] body) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>A body with a <c>Content-Length</c> whose last byte waits until <see cref="Finish"/>.</summary>
    private sealed class TrickleContent(int length) : HttpContent
    {
        private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Finish() => _finish.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            await stream.WriteAsync(new byte[length - 1]);
            await stream.FlushAsync();
            Started.TrySetResult();
            await _finish.Task;
            await stream.WriteAsync(new byte[1]);
        }

        protected override bool TryComputeLength(out long length_)
        {
            length_ = length;
            return true;
        }
    }
}
