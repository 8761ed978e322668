using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace DoraCollector.Ingestion;

/// <summary>
/// The checks webhook senders' credentials get: an HMAC-SHA256 of the raw body (GitHub's
/// <c>X-Hub-Signature-256</c>, Flux's <c>X-Signature</c>), a bearer token, basic auth. Every
/// comparison takes constant time so a caller learns nothing from how long a refusal takes.
/// </summary>
internal static class WebhookSecurity
{
    private const string Sha256Prefix = "sha256=";

    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdefABCDEF");

    /// <summary>
    /// True when <paramref name="header"/> has the form of a signature, <c>sha256=</c> and 64 hexadecimal
    /// digits: what can be checked before the body is read.
    /// </summary>
    public static bool IsSha256Signature([NotNullWhen(true)] string? header) =>
        header is not null && header.Length == Sha256Prefix.Length + 64 && header.StartsWith(Sha256Prefix, StringComparison.OrdinalIgnoreCase)
        && !header.AsSpan(Sha256Prefix.Length).ContainsAnyExcept(HexDigits);

    /// <summary>True when <paramref name="header"/> is <c>sha256=&lt;hex&gt;</c> of the HMAC of <paramref name="body"/>.</summary>
    public static bool HasValidSha256Signature(ReadOnlySpan<byte> body, string? header, string secret)
    {
        if (!IsSha256Signature(header))
        {
            return false;
        }

        var presented = Convert.FromHexString(header.AsSpan(Sha256Prefix.Length));
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body);
        return CryptographicOperations.FixedTimeEquals(expected, presented);
    }

    /// <summary>True when the request carries <c>Authorization: Bearer &lt;expected&gt;</c>.</summary>
    public static bool HasBearerToken(HttpRequest request, string expected) =>
        AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var value)
        && string.Equals(value.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
        && value.Parameter is { } token
        && SameSecret(token.Trim(), expected);

    /// <summary>True when the request carries basic auth with exactly these credentials.</summary>
    public static bool HasBasicCredentials(HttpRequest request, string user, string password)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var value)
            || !string.Equals(value.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || value.Parameter is null)
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 & SameSecret(colon > 0 ? decoded[..colon] : "", user) & SameSecret(colon > 0 ? decoded[(colon + 1)..] : "", password);
    }

    /// <summary>Compares two secrets in time that depends on neither (hashes of equal length).</summary>
    public static bool SameSecret(string presented, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
