using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DoraCollector.Simulator.World;

/// <summary>
/// The tokens and webhook secrets the fakes accept and the webhooks are signed with, derived from
/// the seed so a restarted simulation keeps its collector configuration. They guard loopback fakes
/// of a simulation and nothing else.
/// </summary>
internal sealed record Credentials(
    string GitHubToken, string GitHubWebhookSecret, string ArgoCdToken, string ArgoCdWebhookToken, string FluxWebhookSecret,
    string AlertmanagerWebhookToken)
{
    public static Credentials For(int seed) => new(
        $"ghp_{Derive(seed, "github-token")}",
        Derive(seed, "github-webhook"),
        $"argocd-{Derive(seed, "argocd-token")}",
        Derive(seed, "argocd-webhook"),
        Derive(seed, "flux-webhook"),
        Derive(seed, "alertmanager-webhook"));

    private static string Derive(int seed, string purpose) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"dora-simulator:{seed.ToString(CultureInfo.InvariantCulture)}:{purpose}")))[..32];
}
