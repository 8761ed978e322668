using DoraCollector.Pipeline;

namespace DoraCollector.UnitTests.Pipeline;

/// <summary>A flood gets a full mapping batch for every longest pause it held the loop back in all; bursts with calm between them never do.</summary>
public sealed class HeldBackTimeTests
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_wait_that_ran_out_maps_in_full_and_starts_the_count_again()
    {
        var held = new HeldBackTime(Pause);
        Assert.True(held.Waited(Pause, flood: true));
        held.Mapped(full: true, rateHigh: true);
        Assert.False(held.Waited(TimeSpan.FromSeconds(29), flood: false));
    }

    [Fact]
    public void Waits_broken_by_short_dips_add_up_to_a_full_batch()
    {
        var held = new HeldBackTime(Pause);
        for (var i = 0; i < 2; i++)
        {
            // A dip ended the wait; the small batch stopped with the rate high again.
            Assert.False(held.Waited(TimeSpan.FromSeconds(12), flood: false));
            held.Mapped(full: false, rateHigh: true);
        }

        Assert.True(held.Waited(TimeSpan.FromSeconds(6), flood: false));
    }

    [Fact]
    public void A_batch_that_ends_in_calm_starts_the_count_again()
    {
        var held = new HeldBackTime(Pause);
        Assert.False(held.Waited(TimeSpan.FromSeconds(25), flood: false));
        held.Mapped(full: false, rateHigh: false);
        Assert.False(held.Waited(TimeSpan.FromSeconds(25), flood: false));
    }
}
