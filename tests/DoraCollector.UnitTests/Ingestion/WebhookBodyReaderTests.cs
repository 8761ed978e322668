using System.Security.Cryptography;
using DoraCollector.Ingestion;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace DoraCollector.UnitTests.Ingestion;

public sealed class WebhookBodyReaderTests
{
    private const string Secret = "webhook-secret-0123456789";

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    [InlineData(65_536, true)]
    [InlineData(65_537, false)]
    [InlineData(200_000, true)]
    [InlineData(200_000, false)]
    public async Task A_body_is_read_whole_across_segments_with_or_without_its_length(int size, bool withLength)
    {
        var bytes = RandomNumberGenerator.GetBytes(size);
        var budget = Budget(1024 * 1024);
        var context = Request(bytes, withLength);

        var (body, refusal) = await new WebhookBodyReader(budget).ReadAsync(context.Request, 1024 * 1024, CancellationToken.None);

        Assert.Equal(BodyRefusal.None, refusal);
        Assert.Equal(bytes, body!.ToArray());
        Assert.True(body.IsSignedWith("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Secret), bytes)), Secret));
        Assert.False(body.IsSignedWith("sha256=" + new string('0', 64), Secret));
        Assert.True(budget.Held >= size);
        body.Dispose();
        Assert.Equal(0, budget.Held);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_over_the_limit_is_refused_and_holds_nothing(bool withLength)
    {
        var budget = Budget(1024 * 1024);

        var (body, refusal) = await new WebhookBodyReader(budget).ReadAsync(Request(new byte[300_000], withLength).Request, 200_000, CancellationToken.None);

        Assert.Null(body);
        Assert.Equal(BodyRefusal.TooLarge, refusal);
        Assert.Equal(0, budget.Held);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_that_does_not_fit_in_the_budget_is_refused_and_holds_nothing(bool withLength)
    {
        var budget = Budget(100_000);
        Assert.True(budget.TryTake(50_000));

        var (body, refusal) = await new WebhookBodyReader(budget).ReadAsync(Request(new byte[80_000], withLength).Request, 1024 * 1024, CancellationToken.None);

        Assert.Null(body);
        Assert.Equal(BodyRefusal.Busy, refusal);
        Assert.Equal(50_000, budget.Held);
    }

    private static WebhookBodyBudget Budget(long bytes) => new(new Fixed(new WebhookOptions { MaxBufferedBytes = bytes }));

    private static DefaultHttpContext Request(byte[] bytes, bool withLength)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new Trickle(bytes);
        context.Request.ContentLength = withLength ? bytes.Length : null;
        return context;
    }

    private sealed class Fixed(WebhookOptions value) : IOptionsMonitor<WebhookOptions>
    {
        public WebhookOptions CurrentValue => value;

        public WebhookOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<WebhookOptions, string?> listener) => null;
    }

    // Gives at most 7,000 bytes a read, as a network does, so reads straddle segments.
    private sealed class Trickle(byte[] bytes) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 7_000)], cancellationToken);
    }
}
