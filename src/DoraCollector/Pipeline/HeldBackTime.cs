namespace DoraCollector.Pipeline;

/// <summary>
/// One mapping loop's account of how long bursts of webhooks held it back (docs/deploy.md,
/// "Bursts of webhooks"). A flood still gets a batch mapped in full once it has held the loop back
/// for the longest pause in all, whether that wait ran out in one piece or in several broken by
/// short dips (each of which maps only a little). A batch that ends with the rate eased starts the
/// count again: bursts with calm between them map their backlog in the calm and never get a full
/// batch in the middle of one.
/// </summary>
internal sealed class HeldBackTime(TimeSpan longestPause)
{
    private TimeSpan _held;

    /// <summary>The loop waited <paramref name="waited"/> (<paramref name="flood"/>: the longest pause ran out); true when the next batch maps in full.</summary>
    public bool Waited(TimeSpan waited, bool flood)
    {
        _held += waited;
        return flood || _held >= longestPause;
    }

    /// <summary>A batch was mapped, in full or not, and the rate was or was not high when it ended.</summary>
    public void Mapped(bool full, bool rateHigh)
    {
        if (full || !rateHigh)
        {
            _held = TimeSpan.Zero;
        }
    }
}
