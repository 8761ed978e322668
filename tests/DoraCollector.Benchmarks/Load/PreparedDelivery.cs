using System.Security.Cryptography;
using System.Text;
using DoraCollector.Simulator.World;
using DoraCollector.Sources.Alertmanager;
using DoraCollector.Sources.ArgoCd;
using DoraCollector.Sources.Flux;
using DoraCollector.Sources.GitHub.Polling;

namespace DoraCollector.Benchmarks.Load;

/// <summary>
/// A simulator delivery ready to be sent with no work left: the body as bytes, the headers split
/// into request and content headers, and the inbox key the collector must store it under
/// (<c>X-GitHub-Delivery</c> for GitHub, the body's SHA-256 for the senders that give no id, with a Flux Provider's cluster).
/// </summary>
internal sealed record PreparedDelivery(
    DeliveryKind Kind, string Path, byte[] Body, KeyValuePair<string, string>[] Headers, string ContentType, InboxKey Key)
{
    public static PreparedDelivery From(Delivery delivery)
    {
        var body = Encoding.UTF8.GetBytes(delivery.Body);
        var key = delivery.Kind switch
        {
            DeliveryKind.GitHub => new InboxKey(GitHubCursorStore.Source, Header(delivery, "X-GitHub-Event"), Header(delivery, "X-GitHub-Delivery")),
            DeliveryKind.ArgoCd => new InboxKey(ArgoCdMapper.SourceName, ArgoCdMapper.NotificationKind, Digest(body)),
            // A Provider that names its cluster (?cluster=us) keeps it with the digest.
            DeliveryKind.Flux => new InboxKey(FluxAttemptStream.SourceName, FluxMapper.EventKind,
                FluxClusters.DeliveryKey(Digest(body), delivery.Path.Split("?cluster=") is [_, var cluster] ? cluster : null)),
            _ => new InboxKey(AlertmanagerMapper.SourceName, AlertmanagerMapper.NotificationKind, Digest(body)),
        };
        var headers = delivery.Headers.Where(h => !h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).ToArray();
        var contentType = delivery.Headers.FirstOrDefault(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)).Value ?? "application/json";
        return new PreparedDelivery(delivery.Kind, delivery.Path, body, headers, contentType, key);
    }

    private static string Header(Delivery delivery, string name) => delivery.Headers.Single(h => h.Key == name).Value;

    private static string Digest(byte[] body) => Convert.ToHexStringLower(SHA256.HashData(body));
}

/// <summary>The unique key of a row of <c>raw_events</c>.</summary>
internal readonly record struct InboxKey(string Source, string Kind, string ExternalId);
