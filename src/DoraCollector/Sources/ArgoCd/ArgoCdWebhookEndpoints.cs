using System.Security.Cryptography;
using System.Text.Json;
using DoraCollector.Hosting;
using DoraCollector.Ingestion;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.ArgoCd;

/// <summary>
/// <c>POST /webhooks/argocd</c>: Argo CD Notifications' webhook service, with the body of the
/// shipped template (<c>deploy/argocd/notifications/</c>): the Application's metadata, spec,
/// history and operation state. The bearer token is checked before the body is read; a
/// body that is not an Application is refused with 400 and stored nowhere. Argo CD sends no
/// delivery id, so a retried delivery is recognised by its digest.
/// </summary>
internal static class ArgoCdWebhookEndpoints
{
    public const string Path = "/webhooks/argocd";

    public static IEndpointRouteBuilder MapArgoCdWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, ReceiveAsync).WithTags("Webhooks").WithName("ArgoCdWebhook").TimedAs(ArgoCdMapper.SourceName);
        return app;
    }

    internal static async Task<IResult> ReceiveAsync(
        HttpRequest request, WebhookInbox inbox, CollectorTelemetry telemetry, IOptionsMonitor<ArgoCdOptions> options, CancellationToken ct)
    {
        const string source = ArgoCdMapper.SourceName;
        if (options.CurrentValue.WebhookToken is not { Length: > 0 } token)
        {
            telemetry.WebhookRejected(source, "not_configured");
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                detail: "The Argo CD webhook is off: set Dora:ArgoCd:WebhookToken to receive notifications.");
        }

        if (!WebhookSecurity.HasBearerToken(request, token))
        {
            return inbox.Reject(source, "unauthorized", StatusCodes.Status401Unauthorized,
                "Send Authorization: Bearer with the token in Dora:ArgoCd:WebhookToken.");
        }

        var read = await inbox.ReadBodyAsync(request, source, options.CurrentValue.MaxWebhookBytes, "Dora:ArgoCd:MaxWebhookBytes", ct);
        if (read.Body is not { } received)
        {
            return read.Refusal!;
        }

        var body = received.ToArray();

        ArgoApplication app;
        try
        {
            app = ArgoCdSnapshot.Read(body);
        }
        // A string that is not UTF-8 where a name is read cannot be read at all (no sender
        // writes one): it is as malformed as bad JSON.
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return inbox.Reject(source, "malformed", StatusCodes.Status400BadRequest,
                $"The body is not an Argo CD Application in JSON: {e.Message}");
        }

        if (string.IsNullOrWhiteSpace(app.Metadata?.Name))
        {
            return inbox.Reject(source, "invalid", StatusCodes.Status400BadRequest,
                "metadata.name is missing: send the body of the shipped notification template.");
        }

        var digest = Convert.ToHexStringLower(SHA256.HashData(body));
        return await inbox.StoreAsync(new NewRawEvent(source, ArgoCdMapper.NotificationKind, digest, body), ct);
    }
}
