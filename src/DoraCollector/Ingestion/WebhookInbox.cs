using DoraCollector.Hosting;
using Npgsql;

namespace DoraCollector.Ingestion;

/// <summary>
/// What every webhook receiver does once it has checked the sender: store the delivery verbatim
/// in the inbox (a duplicate changes nothing) and answer at once; mapping happens afterwards.
/// A database outage is a 503 so the sender retries; input that can never succeed is a 4xx.
/// </summary>
internal sealed partial class WebhookInbox(
    DeliveryBatcher store, InboxSignal signal, WebhookPressure pressure, CollectorTelemetry telemetry, ILogger<WebhookInbox> logger)
{
    /// <summary>GitHub caps webhook payloads at 25 MB; nobody else sends more.</summary>
    public const int MaxBodyBytes = 25 * 1024 * 1024;

    /// <summary>The raw body (signatures are over these exact bytes); null when it is larger than <see cref="MaxBodyBytes"/>.</summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>A refusal: counted by reason, answered with problem details, never stored.</summary>
    public IResult Reject(string source, string reason, int status, string detail)
    {
        telemetry.WebhookRejected(source, reason);
        LogRejected(source, reason, status);
        return TypedResults.Problem(statusCode: status, title: status switch
        {
            StatusCodes.Status401Unauthorized => "Unauthorized",
            StatusCodes.Status413PayloadTooLarge => "Payload too large",
            StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
            _ => "Bad request",
        }, detail: detail);
    }

    /// <summary>Stores one delivery: 202 when new, 200 when it was stored before, 503 with <c>Retry-After</c> when the database is down.</summary>
    public async Task<IResult> StoreAsync(NewRawEvent delivery, CancellationToken ct)
    {
        pressure.Received();
        long? id;
        try
        {
            id = await store.AddAsync(delivery, ct);
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

/// <summary>What a webhook sender is told: <c>accepted</c> (stored now) or <c>duplicate</c> (stored before).</summary>
internal sealed record WebhookReceipt(string Status, string Delivery);
