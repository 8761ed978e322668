using System.Security.Cryptography;
using System.Text;

namespace DoraCollector.Simulator.Sending;

/// <summary>How the real senders sign a body: GitHub's <c>X-Hub-Signature-256</c> and Flux's <c>generic-hmac</c> <c>X-Signature</c>.</summary>
internal static class WebhookSignatures
{
    /// <summary><c>sha256=&lt;lower-case hex HMAC-SHA256 of the body&gt;</c>.</summary>
    public static string Sha256(string secret, string body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
}
