using DoraCollector.Pipeline;

namespace DoraCollector.UnitTests.Pipeline;

public sealed class InboxBacklogTests
{
    [Fact]
    public async Task A_count_below_the_threshold_after_a_backlog_ends_it_and_wakes_the_projectors_once()
    {
        var projectors = new ProjectionSignal();
        var backlog = new InboxBacklog(projectors);
        Assert.False(backlog.Seen(InboxBacklog.Threshold - 1, askedAt: 10)); // no backlog before: nothing ends
        Assert.False(backlog.Seen(InboxBacklog.Threshold, askedAt: 20));
        Assert.True(backlog.LastSeen);

        Assert.False(await projectors.WaitAsync(TimeSpan.FromMilliseconds(10), CancellationToken.None));

        Assert.True(backlog.Seen(InboxBacklog.Threshold - 1, askedAt: 30));
        Assert.False(backlog.LastSeen);
        Assert.True(await projectors.WaitAsync(TimeSpan.FromMilliseconds(10), CancellationToken.None));
        Assert.False(backlog.Seen(0, askedAt: 40)); // already ended
        Assert.False(await projectors.WaitAsync(TimeSpan.FromMilliseconds(10), CancellationToken.None));
    }

    [Fact]
    public void An_answer_to_an_older_question_than_the_one_standing_is_ignored()
    {
        // A projector's slow look at the inbox, asked before a mapping batch's, answers after it.
        var backlog = new InboxBacklog(new ProjectionSignal());
        Assert.False(backlog.Seen(InboxBacklog.Threshold, askedAt: 10));
        Assert.True(backlog.Seen(0, askedAt: 30));
        Assert.False(backlog.Seen(InboxBacklog.Threshold, askedAt: 20));
        Assert.False(backlog.LastSeen);
    }
}
