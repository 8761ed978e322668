using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DoraCollector.Sources.GitHub.Client;

namespace DoraCollector.UnitTests.Sources.GitHub;

public sealed class GitHubAppJwtTests
{
    [Fact]
    public void The_token_is_rs256_signed_issued_a_minute_early_by_the_app_and_valid_for_nine_minutes()
    {
        using var key = RSA.Create(2048);
        var now = new DateTimeOffset(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

        var parts = GitHubAppJwt.Create(12345, key.ExportRSAPrivateKeyPem(), now).Split('.');

        Assert.Equal("""{"alg":"RS256","typ":"JWT"}""", Encoding.UTF8.GetString(Base64Url(parts[0])));
        var claims = JsonDocument.Parse(Base64Url(parts[1])).RootElement;
        Assert.Equal(("12345", now.AddSeconds(-60).ToUnixTimeSeconds(), now.AddMinutes(9).ToUnixTimeSeconds()),
            (claims.GetProperty("iss").GetString(), claims.GetProperty("iat").GetInt64(), claims.GetProperty("exp").GetInt64()));
        Assert.True(key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    private static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }
}
