using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Unicode;
using DoraCollector.Hosting;
using DoraCollector.Ingestion;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.Alertmanager;

/// <summary>
/// <c>POST /webhooks/alertmanager</c>: Alertmanager's webhook receiver (payload version 4),
/// authenticated by the bearer token or basic auth its <c>http_config</c> sends. Alertmanager
/// retries a 5xx until the group's next flush and never retries a 4xx, so: 2xx once the
/// notification is stored, 503 when the database is down, and a 4xx only for what can never
/// succeed (wrong credentials, another payload version, a body that is not a notification).
/// A notification is checked whole before anything is stored.
/// </summary>
internal static class AlertmanagerWebhookEndpoint
{
    public const string Path = "/webhooks/alertmanager";

    public static IEndpointRouteBuilder MapAlertmanagerWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, ReceiveAsync).WithName("AlertmanagerWebhook").WithTags("Webhooks").TimedAs(AlertmanagerMapper.SourceName);
        return app;
    }

    internal static async Task<IResult> ReceiveAsync(
        HttpRequest request,
        WebhookInbox inbox,
        IOptions<AlertmanagerOptions> options,
        AlertmanagerReconcileTrigger reconcile,
        TimeProvider clock,
        CancellationToken ct)
    {
        const string source = AlertmanagerMapper.SourceName;
        var settings = options.Value;
        if (!settings.HasWebhookCredentials)
        {
            return inbox.Reject(source, "unconfigured", StatusCodes.Status401Unauthorized,
                "The Alertmanager receiver has no credentials: set Dora:Alertmanager:WebhookToken (or WebhookUsername and WebhookPassword).");
        }

        if (!Authenticated(request, settings))
        {
            return inbox.Reject(source, "unauthorized", StatusCodes.Status401Unauthorized,
                "Send the configured bearer token or basic-auth credentials (http_config in the Alertmanager receiver).");
        }

        var read = await inbox.ReadBodyAsync(request, source, settings.MaxWebhookBytes, "Dora:Alertmanager:MaxWebhookBytes", ct);
        if (read.Body is not { } received)
        {
            return read.Refusal!;
        }

        var body = received.ToArray();
        if (!Utf8.IsValid(body))
        {
            return inbox.Reject(source, "malformed", StatusCodes.Status400BadRequest, "The body is not UTF-8 text.");
        }

        AlertmanagerNotification? notification;
        var problems = new RequestProblems();
        try
        {
            using var document = JsonDocument.Parse(body);
            notification = AlertmanagerPayloadReader.ReadNotification(document.RootElement, problems);
        }
        // A string that is not UTF-8 where a name is read cannot be read at all (no sender
        // writes one): it is as malformed as bad JSON.
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return inbox.Reject(source, "malformed", StatusCodes.Status400BadRequest, $"The body is not valid JSON: {e.Message}");
        }
        catch (InvalidOperationException)
        {
            // A string escape that is no text ("\ud800" alone) cannot be read as a string.
            return inbox.Reject(source, "malformed", StatusCodes.Status400BadRequest, "The body holds a string with a lone surrogate, which is not text.");
        }

        if (notification is null)
        {
            var reason = problems.Has("version") ? "version" : "invalid";
            return inbox.Reject(source, reason, StatusCodes.Status400BadRequest, $"Not an Alertmanager notification: {problems.Summary}");
        }

        // The body's hash is the delivery id: a retry or an HA peer's copy of the same
        // notification is a duplicate; a changed group or a repeat after repeat_interval with
        // other contents is a new delivery, and the mapper's natural keys make it idempotent.
        var delivery = Convert.ToHexStringLower(SHA256.HashData(body));
        var result = await inbox.StoreAsync(
            new NewRawEvent(source, AlertmanagerMapper.NotificationKind, delivery, body, clock.GetUtcNow()), ct);
        if (notification.TruncatedAlerts > 0 && result is not IStatusCodeHttpResult { StatusCode: StatusCodes.Status503ServiceUnavailable })
        {
            await reconcile.RequestAsync(notification.TruncatedAlerts, ct);
        }

        return result;
    }

    private static bool Authenticated(HttpRequest request, AlertmanagerOptions settings) =>
        (!string.IsNullOrEmpty(settings.WebhookToken) && WebhookSecurity.HasBearerToken(request, settings.WebhookToken))
        || (!string.IsNullOrEmpty(settings.WebhookUsername) && !string.IsNullOrEmpty(settings.WebhookPassword)
            && WebhookSecurity.HasBasicCredentials(request, settings.WebhookUsername, settings.WebhookPassword));
}
