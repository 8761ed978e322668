namespace DoraCollector.Simulator.World;

/// <summary>Which sender a webhook delivery imitates.</summary>
internal enum DeliveryKind
{
    GitHub,
    ArgoCd,
    Flux,
    Alertmanager,
}

/// <summary>
/// A webhook as its sender posts it, signed and ready: the collector path, the exact body and the
/// headers. <see cref="Pollable"/> deliveries tell the collector nothing its poll of the fakes does
/// not (GitHub's): they are sent while the organisation lives, not for its past.
/// </summary>
internal sealed record Delivery(DateTimeOffset At, DeliveryKind Kind, string Path, string Body, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public bool Pollable => Kind == DeliveryKind.GitHub;
}
