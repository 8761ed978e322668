using System.Security.Cryptography;
using System.Text;
using DoraCollector.Ingestion;
using Microsoft.AspNetCore.Http;

namespace DoraCollector.UnitTests.Ingestion;

public sealed class WebhookSecurityTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"zen":"Keep it logically awesome."}""");

    [Fact]
    public void The_hmac_of_the_exact_body_with_the_secret_is_valid_in_either_case()
    {
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData("It's a Secret to Everybody"u8, Body));

        Assert.True(WebhookSecurity.HasValidSha256Signature(Body, signature, "It's a Secret to Everybody"));
        Assert.True(WebhookSecurity.HasValidSha256Signature(Body, signature.ToUpperInvariant().Replace("SHA256=", "sha256=", StringComparison.Ordinal), "It's a Secret to Everybody"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha1=0123")]
    [InlineData("sha256=zz")]
    [InlineData("sha256=not-hex-not-hex-not-hex-not-hex-not-hex-not-hex-not-hex-not-hex-")]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000")]
    public void Missing_malformed_or_wrong_signatures_are_invalid(string? header) =>
        Assert.False(WebhookSecurity.HasValidSha256Signature(Body, header, "secret"));

    [Theory]
    [InlineData("sha256=0123456789abcdef0123456789ABCDEF0123456789abcdef0123456789abcdef", true)]
    [InlineData("SHA256=0000000000000000000000000000000000000000000000000000000000000000", true)]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000 ", false)]
    [InlineData("sha256=000000000000000000000000000000000000000000000000000000000000000g", false)]
    [InlineData("sha256=00", false)]
    [InlineData("sha1=0000000000000000000000000000000000000000000000000000000000000000", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void The_form_of_a_signature_is_known_before_the_body_is_read(string? header, bool wellFormed) =>
        Assert.Equal(wellFormed, WebhookSecurity.IsSha256Signature(header));

    [Fact]
    public void A_signature_over_other_bytes_is_invalid()
    {
        var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData("secret"u8, Body));

        Assert.False(WebhookSecurity.HasValidSha256Signature([.. Body, (byte)' '], signature, "secret"));
    }

    [Theory]
    [InlineData("Bearer token-0123456789", true)]
    [InlineData("bearer token-0123456789", true)]
    [InlineData("Bearer token-012345678", false)]
    [InlineData("Basic token-0123456789", false)]
    [InlineData("", false)]
    public void Bearer_tokens_must_match_exactly(string header, bool valid)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = header;

        Assert.Equal(valid, WebhookSecurity.HasBearerToken(context.Request, "token-0123456789"));
    }

    [Theory]
    [InlineData("alertmanager:s3cret", true)]
    [InlineData("alertmanager:wrong", false)]
    [InlineData("someone:s3cret", false)]
    [InlineData("no-colon", false)]
    public void Basic_credentials_must_match_both_parts(string credentials, bool valid)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.Authorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials));

        Assert.Equal(valid, WebhookSecurity.HasBasicCredentials(context.Request, "alertmanager", "s3cret"));
    }
}
