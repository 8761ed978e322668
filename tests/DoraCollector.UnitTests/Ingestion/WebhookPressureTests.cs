using DoraCollector.Ingestion;

namespace DoraCollector.UnitTests.Ingestion;

/// <summary>Background work waits while webhooks pour in, and goes on as soon as they ease.</summary>
public sealed class WebhookPressureTests
{
    [Fact]
    public async Task Below_the_high_rate_background_work_goes_on_at_once()
    {
        var pressure = new WebhookPressure();
        for (var i = 0; i < WebhookPressure.HighRate - 1; i++)
        {
            pressure.Received();
        }

        Assert.False(pressure.IsHigh);
        Assert.False(pressure.WasHighRecently);
        var giveWay = pressure.GiveWayAsync(CancellationToken.None);
        Assert.True(giveWay.IsCompleted);
        Assert.False(await giveWay);
    }

    [Fact]
    public async Task At_the_high_rate_background_work_waits_until_the_burst_eases()
    {
        var pressure = new WebhookPressure();
        // Twice the high rate: however the calls straddle a second, one of the two reaches it.
        for (var i = 0; i < 2 * WebhookPressure.HighRate; i++)
        {
            pressure.Received();
        }

        Assert.True(pressure.IsHigh);
        var waiting = pressure.GiveWayAsync(CancellationToken.None);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);

        // The burst counted in this second and the next; with nothing more, it has eased within two
        // seconds (far sooner than the longest pause), and the work goes on: not a flood.
        Assert.False(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(pressure.IsHigh);

        // Background work still takes small pieces for a while.
        Assert.True(pressure.WasHighRecently);
    }

    [Fact]
    public async Task In_a_flood_background_work_goes_on_after_the_longest_pause_and_says_so()
    {
        var pressure = new WebhookPressure(longestPause: TimeSpan.FromMilliseconds(200), aftermath: TimeSpan.FromMilliseconds(100));
        for (var i = 0; i < 2 * WebhookPressure.HighRate; i++)
        {
            pressure.Received();
        }

        // Still high (it is counted for this second and the next), but the pause has run out.
        Assert.True(await pressure.GiveWayAsync(CancellationToken.None));
        Assert.True(pressure.IsHigh);
    }

    [Fact]
    public async Task Small_pieces_end_when_the_aftermath_has_passed()
    {
        var pressure = new WebhookPressure(longestPause: TimeSpan.FromSeconds(30), aftermath: TimeSpan.FromMilliseconds(200));
        for (var i = 0; i < 2 * WebhookPressure.HighRate; i++)
        {
            pressure.Received();
        }

        Assert.True(pressure.WasHighRecently);
        await Task.Delay(400);
        Assert.False(pressure.WasHighRecently);
    }
}
