namespace DoraCollector.Ingestion;

/// <summary>
/// What a real event can hold, whichever source sends it: instants from 2000 on and not more
/// than a day after the event arrived (a year 1 or year 9999 is a default value or a clock
/// fault, not history), and names and keys short enough to be stored and indexed. The generic
/// API refuses anything else when it is posted; an event from any other source that breaks
/// these is ignored with the reason (see docs/metrics.md, "Data quality").
/// </summary>
internal static class Plausible
{
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly TimeSpan Ahead = TimeSpan.FromDays(1);

    /// <summary>Service, team and environment names, as the generic API takes them.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Keys a source builds from its names (an attempt's or alert's id, a revision, a SHA), and repository names (a posted service's commits live in <c>generic/&lt;service&gt;</c>).</summary>
    public const int MaxKeyLength = 500;

    public static bool IsInstant(DateTimeOffset at, DateTimeOffset now) => at >= Earliest && at <= now + Ahead;

    /// <exception cref="ImplausibleEventException">The instant is before 2000 or more than a day after <paramref name="now"/>.</exception>
    public static void Instant(DateTimeOffset? at, DateTimeOffset now, string what)
    {
        if (at is { } instant && !IsInstant(instant, now))
        {
            throw new ImplausibleEventException(ImplausibleEventException.Time,
                instant < Earliest
                    ? $"{what} {instant.ToUniversalTime():O} is before 2000"
                    : $"{what} {instant.ToUniversalTime():O} is more than a day after the event arrived ({now.ToUniversalTime():O})");
        }
    }

    /// <summary>
    /// A commit's time is its author's clock: one ahead of the collector's is kept, and the lead
    /// time it makes, zero or negative, is discarded (docs/metrics.md); only one before 2000 is
    /// implausible.
    /// </summary>
    /// <exception cref="ImplausibleEventException">The instant is before 2000.</exception>
    public static void CommitInstant(DateTimeOffset? at, string what) => Instant(at, DateTimeOffset.MaxValue - Ahead, what);

    /// <exception cref="ImplausibleEventException">The name is longer than <see cref="MaxNameLength"/> characters.</exception>
    public static void Name(string? name, string what) => Length(name, MaxNameLength, what);

    /// <exception cref="ImplausibleEventException">The key is longer than <see cref="MaxKeyLength"/> characters.</exception>
    public static void Key(string? key, string what) => Length(key, MaxKeyLength, what);

    private static void Length(string? value, int max, string what)
    {
        if (value is { Length: var length } && length > max)
        {
            throw new ImplausibleEventException(ImplausibleEventException.NameTooLong,
                $"{what} is {length} characters long, more than {max}");
        }
    }
}

/// <summary>An event holds a value no real event holds: it is ignored with the reason, never mapped, never retried.</summary>
internal sealed class ImplausibleEventException(string reason, string detail) : Exception($"{reason}: {detail}")
{
    public const string Time = "implausible_time";
    public const string NameTooLong = "name_too_long";

    /// <summary>The <c>reason</c> label: <see cref="Time"/> or <see cref="NameTooLong"/>.</summary>
    public string Reason { get; } = reason;
}
