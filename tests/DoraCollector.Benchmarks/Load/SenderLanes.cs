using System.Text.Json;
using DoraCollector.Simulator.World;

namespace DoraCollector.Benchmarks.Load;

/// <summary>
/// How the real senders post: Flux's notification-controller, Alertmanager and Argo CD
/// Notifications each send for many objects at once, and for one object in order. A delivery's
/// object (a Flux object, an alert group, an Application) picks its lane; each lane is sent in
/// order, the lanes at the same time.
/// </summary>
internal static class SenderLanes
{
    public static IReadOnlyList<IReadOnlyList<Delivery>> Of(IEnumerable<Delivery> deliveries, int lanesPerSender) =>
        deliveries.GroupBy(d => (d.Kind, Lane: (int)((uint)StableHash(ObjectOf(d)) % (uint)lanesPerSender)))
            .Select(lane => (IReadOnlyList<Delivery>)lane.ToList())
            .ToList();

    private static string ObjectOf(Delivery delivery)
    {
        using var body = JsonDocument.Parse(delivery.Body);
        var root = body.RootElement;
        return delivery.Kind switch
        {
            DeliveryKind.Flux => $"{Text(root, "involvedObject", "namespace")}/{Text(root, "involvedObject", "name")}",
            DeliveryKind.ArgoCd => $"{Text(root, "metadata", "namespace")}/{Text(root, "metadata", "name")}",
            DeliveryKind.Alertmanager => Text(root, "groupKey"),
            _ => "",
        };
    }

    private static string Text(JsonElement element, params string[] path)
    {
        foreach (var name in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out element))
            {
                return "";
            }
        }

        return element.ValueKind == JsonValueKind.String ? element.GetString()! : "";
    }

    // string.GetHashCode differs between runs; the lanes should not.
    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }
}
