using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DoraCollector.Simulator.Flux;
using DoraCollector.Simulator.Sending;

namespace DoraCollector.IntegrationTests.Faults;

/// <summary>
/// Senders that each post one delivery after another at a steady rate, as CI systems and Flux
/// do while a fault happens: deployments to the generic API, events to the Flux webhook. Every
/// answer is recorded (status 0: no answer at all), so a test can check what was acknowledged.
/// </summary>
internal sealed class SteadySenders(HttpClient http, string run)
{
    public const string ApiKey = "fault-test-api-key-0123456789";
    public const string FluxSecret = "fault-test-flux-hmac-0123456789";

    // Deployments finish in the 18 hours before the run started, each at a moment its id decides.
    private static readonly DateTimeOffset Start = DateTimeOffset.UtcNow;

    private readonly ConcurrentQueue<Answer> _answers = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>
    /// What the collector said to one delivery: <see cref="Id"/> is the external id it is stored
    /// under ("" when unknown), <see cref="Result"/> what the receipt says of it (<c>accepted</c>,
    /// <c>unchanged</c>, <c>duplicate</c>).
    /// </summary>
    public sealed record Answer(string Source, string Id, int Status, string? RetryAfter, string? Result, TimeSpan At);

    public IReadOnlyList<Answer> Answers => _answers.ToList();

    /// <summary>Time since these senders were made: what <see cref="Answer.At"/> counts in.</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>The settings the collector needs to accept what these senders post.</summary>
    public static Dictionary<string, string?> Settings() => new()
    {
        ["Dora__Api__Keys__0"] = ApiKey,
        ["Dora__Flux__WebhookSecret"] = FluxSecret,
    };

    /// <summary>Runs <paramref name="generic"/> API senders and <paramref name="flux"/> webhook senders until <paramref name="ct"/>.</summary>
    public Task RunAsync(int generic, int flux, double perSecond, CancellationToken ct) =>
        Task.WhenAll(
            Enumerable.Range(0, generic).Select(s => SendAsync(perSecond, n => PostDeploymentAsync($"{run}-{s}-{n}", $"fault-svc-{s}"), ct))
                .Concat(Enumerable.Range(0, flux).Select(s => SendAsync(perSecond, _ => PostFluxEventAsync($"fault-flux-{s}"), ct))));

    /// <summary>
    /// Posts one deployment to <c>POST /api/v1/deployments</c>: its revision and finish follow from
    /// its id, so posting an id again is an exact repeat, as a sender's retry is.
    /// </summary>
    public async Task<Answer> PostDeploymentAsync(string id, string service)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(id));
        var body = JsonSerializer.Serialize(new
        {
            id,
            service,
            environment = "production",
            revision = Convert.ToHexStringLower(hash.AsSpan(0, 20)),
            status = "success",
            finishedAt = Start.AddMinutes(-1).AddSeconds(-BitConverter.ToUInt16(hash)),
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/deployments") { Content = Json(body) };
        request.Headers.Add("X-Api-Key", ApiKey);
        return await RecordAsync("generic", request, id);
    }

    private async Task<Answer> PostFluxEventAsync(string name)
    {
        var body = FluxEvents.Event(name, FluxEvents.Revision("main", Sha()), DateTimeOffset.UtcNow.AddMinutes(-1)).ToJsonString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/flux") { Content = Json(body) };
        request.Headers.Add("X-Signature", WebhookSignatures.Sha256(FluxSecret, body));
        request.Headers.Add("Gotk-Component", "kustomize-controller");

        return await RecordAsync("flux", request, null);
    }

    private static async Task SendAsync(double perSecond, Func<long, Task<Answer>> send, CancellationToken ct)
    {
        var interval = TimeSpan.FromSeconds(1 / perSecond);
        var clock = Stopwatch.StartNew();
        for (long n = 0; !ct.IsCancellationRequested; n++)
        {
            await send(n);
            var due = interval * (n + 1) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(due, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <param name="id">The delivery's id; null when the collector makes it up (a webhook's digest), then read from the receipt.</param>
    private async Task<Answer> RecordAsync(string source, HttpRequestMessage request, string? id)
    {
        Answer answer;
        try
        {
            using var response = await http.SendAsync(request);
            var content = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            string? result = null;
            if (status is >= 200 and < 300)
            {
                // The API lists each item's result, a webhook names the delivery it stored.
                var receipt = JsonDocument.Parse(content).RootElement;
                result = receipt.TryGetProperty("items", out var items) ? items[0].GetProperty("result").GetString() : receipt.GetProperty("status").GetString();
                id ??= receipt.GetProperty("delivery").GetString();
            }

            answer = new Answer(source, id ?? "", status, response.Headers.RetryAfter?.ToString(), result, _clock.Elapsed);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            answer = new Answer(source, id ?? "", 0, null, null, _clock.Elapsed);
        }

        _answers.Enqueue(answer);
        return answer;
    }

    private static StringContent Json(string body) =>
        new(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    private static string Sha() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
}
