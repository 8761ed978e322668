namespace DoraCollector.Ingestion;

/// <summary>
/// Maps one source's raw payloads to source-neutral domain rows (commits, pull requests,
/// deployment attempts, incident signals) through the <see cref="DomainWriter"/>. Pure with
/// respect to upstream: it never calls a source, so <c>recompute</c> can replay the inbox.
/// </summary>
internal interface IRawEventMapper
{
    /// <summary>The <c>raw_events.source</c> this mapper reads.</summary>
    string Source { get; }

    /// <summary>False when the payload carries nothing to map (an event kind that does not matter).</summary>
    /// <exception cref="InvalidPayloadException">The payload can never be mapped; it is marked failed.</exception>
    Task<bool> MapAsync(RawEventRecord raw, DomainWriter writer, CancellationToken ct);

    /// <summary>
    /// Before a batch is mapped: reads at once what its events will look up one by one (the
    /// services they name), so mapping them costs no round trip each. Changes nothing.
    /// </summary>
    Task PrepareAsync(IReadOnlyList<RawEventRecord> batch, DomainWriter writer, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>A stored payload is not what its source sends; retrying will not help.</summary>
internal sealed class InvalidPayloadException(string message) : Exception(message);
