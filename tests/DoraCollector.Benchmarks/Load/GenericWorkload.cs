using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DoraCollector.Benchmarks.Load;

/// <summary>
/// The generic-ingest workload of docs/benchmarks.md: <c>services</c> services in teams of 20,
/// each deployed to production once a day for <c>days</c> days, every deployment bringing one
/// commit, as a CI system posts them to <c>POST /api/v1/deployments</c>: in the order they
/// happened, in batches. Deterministic, ending two hours before <paramref name="now"/> so every
/// deployment is inside every window while the run lasts.
/// </summary>
internal sealed class GenericWorkload(int services, int days, DateTimeOffset now)
{
    public int Services => services;

    public int Deployments => services * days;

    /// <summary>Each deployment as the JSON object posted, in the order they happened.</summary>
    public IEnumerable<string> Items()
    {
        var start = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-days).AddHours(now.UtcDateTime.Hour - 22);
        for (var day = 0; day < days; day++)
        {
            for (var service = 0; service < services; service++)
            {
                // Spread over 20 hours of the day, so deployments of different services interleave.
                var finished = start.AddDays(day).AddMinutes(service * 43 % (20 * 60));
                var sha = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes($"s{service}-d{day}")));
                yield return JsonSerializer.Serialize(new
                {
                    id = $"s{service:D4}-d{day:D3}",
                    service = $"svc-{service:D4}",
                    team = $"team-{service / 20:D3}",
                    environment = "production",
                    revision = sha,
                    status = "success",
                    startedAt = Instant(finished.AddMinutes(-4)),
                    finishedAt = Instant(finished),
                    commits = new[] { new { sha, authoredAt = Instant(finished.AddHours(-3)), message = $"change {day} of svc-{service:D4}" } },
                });
            }
        }
    }

    /// <summary>The items as request bodies of at most <paramref name="size"/> deployments each.</summary>
    public IEnumerable<string> Batches(int size) =>
        Items().Chunk(size).Select(chunk => "[" + string.Join(',', chunk) + "]");

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
