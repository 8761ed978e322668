using DoraCollector.Hosting;

namespace DoraCollector.Ingestion;

/// <summary><c>Dora:Webhooks</c>: what every webhook receiver shares.</summary>
internal sealed class WebhookOptions
{
    public const string Section = "Dora:Webhooks";

    /// <summary>GitHub caps webhook payloads at 25 MB; nobody else sends more, so no source may allow more.</summary>
    public const int LargestBody = 25 * 1024 * 1024;

    /// <summary>The smallest limit a source may set: below it, ordinary deliveries would be refused.</summary>
    public const int SmallestBody = 64 * 1024;

    /// <summary>
    /// Bytes of request bodies all webhooks together may hold in memory at once, authenticated or
    /// not; a request that would go beyond it is answered 503 with <c>Retry-After</c>. The server's
    /// own buffers for the connections come on top (about 40 MB for 32 connections posting at once).
    /// </summary>
    public long MaxBufferedBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Checks a source's <c>MaxWebhookBytes</c>: between <see cref="SmallestBody"/> and <see cref="LargestBody"/>.</summary>
    public static void CheckBodyLimit(OptionsErrors errors, int value, string key) =>
        errors.Check(value is >= SmallestBody and <= LargestBody, key, $"must be between {SmallestBody} and {LargestBody} bytes");
}
