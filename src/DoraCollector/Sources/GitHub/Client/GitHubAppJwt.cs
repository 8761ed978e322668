using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace DoraCollector.Sources.GitHub.Client;

/// <summary>
/// The JSON Web Token a GitHub App signs with its private key (RS256) to ask for installation
/// tokens: issued 60 s in the past against clock drift, valid for 9 of the 10 minutes GitHub allows.
/// </summary>
internal static class GitHubAppJwt
{
    public static string Create(long appId, string privateKeyPem, DateTimeOffset now)
    {
        var header = Base64Url("""{"alg":"RS256","typ":"JWT"}"""u8.ToArray());
        var claims = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iat"] = now.AddSeconds(-60).ToUnixTimeSeconds(),
            ["exp"] = now.AddMinutes(9).ToUnixTimeSeconds(),
            ["iss"] = appId.ToString(CultureInfo.InvariantCulture),
        });
        var signed = $"{header}.{Base64Url(claims)}";
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privateKeyPem);
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signed), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signed}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
