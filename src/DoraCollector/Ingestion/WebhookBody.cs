using System.Security.Cryptography;
using System.Text;

namespace DoraCollector.Ingestion;

/// <summary>
/// A webhook body as read: in the budget's segments until the sender is known, so a forged post
/// never costs an allocation of its size. Its bytes stay counted until the request is answered.
/// </summary>
internal sealed class WebhookBody(WebhookBodyBudget budget, long taken) : IDisposable
{
    private readonly List<byte[]> _segments = [];
    private long _taken = taken;

    public long Length { get; private set; }

    /// <summary>Bytes of the budget the body holds: its <c>Content-Length</c>, or what was read so far rounded up to a segment.</summary>
    internal long Taken => _taken;

    /// <summary>True when <paramref name="header"/> is <c>sha256=&lt;hex&gt;</c> of the HMAC of the body with <paramref name="secret"/>.</summary>
    public bool IsSignedWith(string header, string secret)
    {
        if (!WebhookSecurity.IsSha256Signature(header))
        {
            return false;
        }

        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        foreach (var segment in Segments())
        {
            hmac.AppendData(segment.Span);
        }

        return CryptographicOperations.FixedTimeEquals(hmac.GetHashAndReset(), Convert.FromHexString(header.AsSpan("sha256=".Length)));
    }

    /// <summary>The body in an array of its exact size: once the sender is known to be who it says.</summary>
    public byte[] ToArray()
    {
        var bytes = GC.AllocateUninitializedArray<byte>(checked((int)Length));
        var at = 0;
        foreach (var segment in Segments())
        {
            segment.Span.CopyTo(bytes.AsSpan(at));
            at += segment.Length;
        }

        return bytes;
    }

    public void Dispose()
    {
        foreach (var segment in _segments)
        {
            budget.ReturnSegment(segment);
        }

        _segments.Clear();
        budget.Return(_taken);
        _taken = 0;
    }

    /// <summary>Takes more of the budget for a body whose length was not known.</summary>
    internal bool TryGrow(long bytes)
    {
        if (!budget.TryTake(bytes))
        {
            return false;
        }

        _taken += bytes;
        return true;
    }

    /// <summary>Where the next bytes go: the free end of the last segment, or a new one.</summary>
    internal Memory<byte> Free()
    {
        var used = (int)(Length % WebhookBodyBudget.SegmentSize);
        if (used == 0 && _segments.Count * (long)WebhookBodyBudget.SegmentSize == Length)
        {
            _segments.Add(budget.RentSegment());
        }

        return _segments[^1].AsMemory(used);
    }

    internal void Advance(int bytes) => Length += bytes;

    private IEnumerable<ReadOnlyMemory<byte>> Segments()
    {
        for (var i = 0; i < _segments.Count; i++)
        {
            var start = (long)i * WebhookBodyBudget.SegmentSize;
            yield return _segments[i].AsMemory(0, (int)Math.Min(WebhookBodyBudget.SegmentSize, Length - start));
        }
    }
}
