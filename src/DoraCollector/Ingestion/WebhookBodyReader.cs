namespace DoraCollector.Ingestion;

/// <summary>Why a webhook body was not read.</summary>
internal enum BodyRefusal
{
    None,

    /// <summary>Longer than the source's limit (by its <c>Content-Length</c>, or once that many bytes arrived).</summary>
    TooLarge,

    /// <summary>It does not fit in what is left of <see cref="WebhookBodyBudget"/>.</summary>
    Busy,

    /// <summary>The body ended before its <c>Content-Length</c>, or the connection broke.</summary>
    Incomplete,
}

/// <summary>
/// Reads a webhook body within the source's limit and the process-wide <see cref="WebhookBodyBudget"/>:
/// a body with a <c>Content-Length</c> takes all of it from the budget before its first byte is
/// read; one without (chunked) takes a segment at a time as it arrives. Either way it is read
/// once, into the budget's segments, and given back when its request has been answered.
/// </summary>
internal sealed class WebhookBodyReader(WebhookBodyBudget budget)
{
    public async Task<(WebhookBody? Body, BodyRefusal Refusal)> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        var length = request.ContentLength;
        if (length > maxBytes)
        {
            return (null, BodyRefusal.TooLarge);
        }

        if (!budget.TryTake(length ?? 0))
        {
            return (null, BodyRefusal.Busy);
        }

        var body = new WebhookBody(budget, length ?? 0);
        request.HttpContext.Response.RegisterForDispose(body);
        var refusal = await FillAsync(request, body, length, maxBytes, ct);
        if (refusal != BodyRefusal.None)
        {
            body.Dispose();
            return (null, refusal);
        }

        return (body, BodyRefusal.None);
    }

    private static async Task<BodyRefusal> FillAsync(HttpRequest request, WebhookBody body, long? length, int maxBytes, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                if (length is null && body.Taken == body.Length && !body.TryGrow(WebhookBodyBudget.SegmentSize))
                {
                    return BodyRefusal.Busy;
                }

                var read = await request.Body.ReadAsync(body.Free(), ct);
                if (read == 0)
                {
                    return length is null || body.Length == length ? BodyRefusal.None : BodyRefusal.Incomplete;
                }

                body.Advance(read);
                if (body.Length > maxBytes)
                {
                    return BodyRefusal.TooLarge;
                }
            }
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own limits and framing: a body over MaxRequestBodySize, or one cut short.
            return e.StatusCode == StatusCodes.Status413PayloadTooLarge ? BodyRefusal.TooLarge : BodyRefusal.Incomplete;
        }
        catch (IOException)
        {
            return BodyRefusal.Incomplete;
        }
    }
}
