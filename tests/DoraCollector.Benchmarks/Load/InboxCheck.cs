namespace DoraCollector.Benchmarks.Load;

/// <summary>
/// No delivery lost: every one answered 2xx, and <c>raw_events</c> holds exactly the deliveries
/// answered 202 (202 means stored now), by the key the collector dedupes on, each once. A delivery
/// answered 200 is a copy of one stored before, or one the collector has no use for and does not
/// store (a push or deployment event it only counts, say): neither is expected in the inbox.
/// </summary>
internal sealed record InboxCheck(int Sent, int Distinct, int Accepted, int Answered200, int Refused, int Missing, int Unexpected, int StoredTwice, int Expected)
{
    public bool Passed => Refused == 0 && Missing == 0 && Unexpected == 0 && StoredTwice == 0 && Accepted == Expected;

    public static InboxCheck Of(IReadOnlyList<PreparedDelivery> sent, IReadOnlyList<int> statuses, IReadOnlyDictionary<InboxKey, int> stored)
    {
        var expected = sent.Where((_, i) => statuses[i] == 202).Select(d => d.Key).ToHashSet();
        return new InboxCheck(
            sent.Count,
            sent.Select(d => d.Key).Distinct().Count(),
            statuses.Count(s => s == 202),
            statuses.Count(s => s == 200),
            statuses.Count(s => s is not (200 or 202)),
            expected.Count(k => !stored.ContainsKey(k)),
            stored.Keys.Count(k => !expected.Contains(k)),
            stored.Values.Count(n => n > 1),
            expected.Count);
    }

    public string Describe() =>
        $"{Sent:N0} sent ({Distinct:N0} distinct), {Accepted:N0} answered 202 ({Expected:N0} distinct), {Answered200:N0} answered 200 (a copy, or not stored by design), {Refused:N0} refused or unanswered; " +
        $"raw_events: {Missing:N0} missing, {Unexpected:N0} unexpected, {StoredTwice:N0} stored twice";
}
