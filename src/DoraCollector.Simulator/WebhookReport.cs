namespace DoraCollector.Simulator;

/// <summary>What happened to the webhooks sent: accepted (new), duplicates (already stored), and refused or lost.</summary>
public sealed record WebhookReport(int Sent, int Accepted, int Duplicates, int Failed)
{
    public static WebhookReport None { get; } = new(0, 0, 0, 0);

    public WebhookReport Add(WebhookReport other) =>
        new(Sent + other.Sent, Accepted + other.Accepted, Duplicates + other.Duplicates, Failed + other.Failed);
}
