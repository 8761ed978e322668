using DoraCollector.Pipeline;
using DoraCollector.Hosting;
using Npgsql;

namespace DoraCollector.Ingestion;

/// <summary>
/// What every webhook receiver does once it has checked the sender: store the delivery byte for byte
/// in the inbox (a duplicate changes nothing) and answer at once; mapping happens afterwards.
/// A database outage is a 503 so the sender retries; input that can never succeed is a 4xx.
/// </summary>
internal sealed partial class WebhookInbox(
    DeliveryBatcher store,
    InboxSignal signal,
    WebhookPressure pressure,
    WebhookBodyReader reader,
    CollectorTelemetry telemetry,
    ILogger<WebhookInbox> logger)
{
    /// <summary>Seconds a sender refused for want of memory is asked to wait before it sends again.</summary>
    private const int RetryAfterSeconds = 5;

    /// <summary>
    /// The raw body (signatures are over these exact bytes), to be read only after the endpoint has
    /// checked every credential it can without it; read only when it is within <paramref name="maxBytes"/>
    /// (the source's <paramref name="setting"/>) and the webhooks' shared memory budget, and turned
    /// into an array only once the sender is known (<see cref="WebhookBody.ToArray"/>). Otherwise the
    /// refusal to answer: 413 over the limit, 503 with <c>Retry-After</c> when the budget is spent,
    /// 400 when the body is cut short.
    /// </summary>
    public async Task<WebhookRead> ReadBodyAsync(HttpRequest request, string source, int maxBytes, string setting, CancellationToken ct)
    {
        var (body, refusal) = await reader.ReadAsync(request, maxBytes, ct);
        switch (refusal)
        {
            case BodyRefusal.None:
                return new WebhookRead(body, null);
            case BodyRefusal.TooLarge:
                return new WebhookRead(null, Reject(source, "oversize", StatusCodes.Status413PayloadTooLarge,
                    $"The body is larger than {maxBytes} bytes ({setting})."));
            case BodyRefusal.Busy:
                request.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return new WebhookRead(null, Reject(source, "busy", StatusCodes.Status503ServiceUnavailable,
                    $"The collector holds as many webhook bodies as it may (Dora:Webhooks:MaxBufferedBytes); send it again in {RetryAfterSeconds} seconds."));
            default:
                return new WebhookRead(null, Reject(source, "incomplete", StatusCodes.Status400BadRequest,
                    "The body ended before its Content-Length, or the connection broke."));
        }
    }

    /// <summary>A refusal: counted by reason, answered with problem details, never stored.</summary>
    public IResult Reject(string source, string reason, int status, string detail)
    {
        telemetry.WebhookRejected(source, reason);
        LogRejected(source, reason, status);
        return TypedResults.Problem(statusCode: status, title: status switch
        {
            StatusCodes.Status401Unauthorized => "Unauthorized",
            StatusCodes.Status404NotFound => "Not found",
            StatusCodes.Status413PayloadTooLarge => "Payload too large",
            StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
            StatusCodes.Status422UnprocessableEntity => "Unprocessable content",
            StatusCodes.Status503ServiceUnavailable => "Service unavailable",
            _ => "Bad request",
        }, detail: detail);
    }

    /// <summary>
    /// Stores one delivery: 202 when new, 200 when it was stored before, 503 with <c>Retry-After</c>
    /// when the database is down, 422 when the database refuses this delivery (the others stored
    /// with it are not held back).
    /// </summary>
    public async Task<IResult> StoreAsync(NewRawEvent delivery, CancellationToken ct)
    {
        pressure.Received();
        long? id;
        try
        {
            id = await store.AddAsync(delivery, ct);
        }
        catch (UnstorableDeliveryException e)
        {
            return Reject(delivery.Source, "unstorable", StatusCodes.Status422UnprocessableEntity,
                $"The delivery cannot be stored, and sending it again will not change that: {e.Message}");
        }
        catch (Exception e) when ((e is NpgsqlException or InvalidOperationException || TransientFailures.IsTransient(e)) && !ct.IsCancellationRequested)
        {
            telemetry.IngestFailed(delivery.Source);
            LogUnavailable(delivery.Source, e.Message);
            return new DatabaseUnavailable("The delivery could not be stored; send it again later.");
        }

        signal.Poke();
        return id is null
            ? TypedResults.Ok(new WebhookReceipt("duplicate", delivery.ExternalId))
            : TypedResults.Accepted((string?)null, new WebhookReceipt("accepted", delivery.ExternalId));
    }

    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Refused a {Source} webhook ({Reason}, {Status})")]
    private partial void LogRejected(string source, string reason, int status);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "Could not store a {Source} webhook; the sender will retry: {Reason}")]
    private partial void LogUnavailable(string source, string reason);
}

/// <summary>A webhook's body as read, or the answer that refuses it.</summary>
internal sealed record WebhookRead(WebhookBody? Body, IResult? Refusal);

/// <summary>What a webhook sender is told: <c>accepted</c> (stored now) or <c>duplicate</c> (stored before).</summary>
internal sealed record WebhookReceipt(string Status, string Delivery);
