using DoraCollector.Ingestion;

namespace DoraCollector.UnitTests.Ingestion;

/// <summary>Background work waits while webhooks pour in, and goes on as soon as they ease.</summary>
public sealed class WebhookPressureTests
{
    [Fact]
    public void Below_the_high_rate_background_work_goes_on_at_once()
    {
        var pressure = new WebhookPressure();
        for (var i = 0; i < WebhookPressure.HighRate - 1; i++)
        {
            pressure.Received();
        }

        Assert.False(pressure.IsHigh);
        Assert.True(pressure.GiveWayAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task At_the_high_rate_background_work_waits_until_the_burst_eases()
    {
        var pressure = new WebhookPressure();
        for (var i = 0; i < WebhookPressure.HighRate; i++)
        {
            pressure.Received();
        }

        Assert.True(pressure.IsHigh);
        var waiting = pressure.GiveWayAsync(CancellationToken.None);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);

        // The burst counted in this second and the next; with nothing more, it has eased within two
        // seconds (far sooner than the longest pause), and the work goes on.
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(pressure.IsHigh);
    }
}
