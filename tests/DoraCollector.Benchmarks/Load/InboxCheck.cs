namespace DoraCollector.Benchmarks.Load;

/// <summary>
/// No delivery lost: every one answered 2xx, and <c>raw_events</c> holds exactly the distinct
/// deliveries sent (by the key the collector dedupes on), each once; a delivery answered 202 is
/// one stored now, so their number is the number of distinct deliveries.
/// </summary>
internal sealed record InboxCheck(int Sent, int Distinct, int Accepted, int Duplicates, int Refused, int Missing, int Unexpected, int StoredTwice)
{
    public bool Passed => Refused == 0 && Missing == 0 && Unexpected == 0 && StoredTwice == 0 && Accepted == Distinct;

    public static InboxCheck Of(IReadOnlyList<PreparedDelivery> sent, IReadOnlyList<int> statuses, IReadOnlyDictionary<InboxKey, int> stored)
    {
        var expected = sent.Select(d => d.Key).ToHashSet();
        return new InboxCheck(
            sent.Count,
            expected.Count,
            statuses.Count(s => s == 202),
            statuses.Count(s => s == 200),
            statuses.Count(s => s is not (200 or 202)),
            expected.Count(k => !stored.ContainsKey(k)),
            stored.Keys.Count(k => !expected.Contains(k)),
            stored.Values.Count(n => n > 1));
    }

    public string Describe() =>
        $"{Sent:N0} sent ({Distinct:N0} distinct), {Accepted:N0} answered 202, {Duplicates:N0} answered 200 (duplicate), {Refused:N0} refused or unanswered; " +
        $"raw_events: {Missing:N0} missing, {Unexpected:N0} unexpected, {StoredTwice:N0} stored twice";
}
