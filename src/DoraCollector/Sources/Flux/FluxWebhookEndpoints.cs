using System.Security.Cryptography;
using System.Text.Json;
using DoraCollector.Hosting;
using DoraCollector.Ingestion;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.Flux;

/// <summary>
/// <c>POST /webhooks/flux</c>: events of the notification-controller's <c>generic-hmac</c>
/// Provider (<c>X-Signature: sha256=&lt;hex HMAC of the body&gt;</c>, keyed with
/// <c>Dora:Flux:WebhookSecret</c>) or <c>generic</c> Provider (<c>Authorization: Bearer</c> from
/// the Secret's <c>headers</c>, <c>Dora:Flux:WebhookToken</c>). The token, or the signature's
/// presence and form, is checked before the body is read (at most <c>Dora:Flux:MaxWebhookBytes</c>),
/// the signature itself before it is parsed; a body that is not an event is refused with 400 and stored nowhere.
/// Events carry no delivery id: a retry is recognised by its digest. The cluster the event comes
/// from is named by the Provider's address (<c>?cluster=eu</c>), the <c>X-Dora-Cluster</c> header
/// or the event metadata <c>cluster</c> (<see cref="FluxClusters"/>); a name that is not a cluster
/// name is refused with 400 before the body is read where it can be.
/// </summary>
internal static class FluxWebhookEndpoints
{
    public const string Path = "/webhooks/flux";

    public static IEndpointRouteBuilder MapFluxWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, ReceiveAsync).WithTags("Webhooks").WithName("FluxWebhook").TimedAs(FluxAttemptStream.SourceName);
        return app;
    }

    internal static async Task<IResult> ReceiveAsync(
        HttpRequest request, WebhookInbox inbox, CollectorTelemetry telemetry, IOptionsMonitor<FluxOptions> options, CancellationToken ct)
    {
        const string source = FluxAttemptStream.SourceName;
        var settings = options.CurrentValue;
        if (string.IsNullOrEmpty(settings.WebhookSecret) && string.IsNullOrEmpty(settings.WebhookToken))
        {
            telemetry.WebhookRejected(source, "not_configured");
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                detail: "The Flux webhook is off: set Dora:Flux:WebhookSecret (generic-hmac) or Dora:Flux:WebhookToken (generic).");
        }

        // The credential is checked as far as it can be before a byte of the body is read.
        var (refusal, signed) = Credential(request, settings);
        if (refusal is not null)
        {
            return Unauthorized(inbox, refusal);
        }

        var (cluster, badCluster) = FluxClusters.OfRequest(request);
        if (badCluster is not null)
        {
            return inbox.Reject(source, "invalid", StatusCodes.Status400BadRequest, char.ToUpperInvariant(badCluster[0]) + badCluster[1..]);
        }

        var read = await inbox.ReadBodyAsync(request, source, settings.MaxWebhookBytes, "Dora:Flux:MaxWebhookBytes", ct);
        if (read.Body is not { } received)
        {
            return read.Refusal!;
        }

        if (signed && !received.IsSignedWith(request.Headers["X-Signature"].ToString(), settings.WebhookSecret!))
        {
            return Unauthorized(inbox, "signature");
        }

        var body = received.ToArray();

        FluxEvent? e;
        try
        {
            e = JsonSerializer.Deserialize<FluxEvent>(body, FluxMapper.Json);
        }
        // A string that is not UTF-8 where a name is read cannot be read at all (no sender
        // writes one): it is as malformed as bad JSON.
        catch (Exception x) when (x is JsonException or InvalidOperationException)
        {
            return inbox.Reject(source, "malformed", StatusCodes.Status400BadRequest, $"The body is not a Flux event in JSON: {x.Message}");
        }

        if (e?.InvolvedObject is not { Kind.Length: > 0, Name.Length: > 0 } || e.Timestamp is null)
        {
            return inbox.Reject(source, "invalid", StatusCodes.Status400BadRequest,
                "A Flux event needs involvedObject.kind, involvedObject.name and timestamp.");
        }

        if (FluxClusters.MetadataProblem(e) is { } badMetadata)
        {
            return inbox.Reject(source, "invalid", StatusCodes.Status400BadRequest, char.ToUpperInvariant(badMetadata[0]) + badMetadata[1..]);
        }

        var digest = Convert.ToHexStringLower(SHA256.HashData(body));
        return await inbox.StoreAsync(new NewRawEvent(source, FluxMapper.EventKind, FluxClusters.DeliveryKey(digest, cluster), body), ct);
    }

    private static IResult Unauthorized(WebhookInbox inbox, string reason) =>
        inbox.Reject(FluxAttemptStream.SourceName, reason, StatusCodes.Status401Unauthorized, reason == "signature"
            ? "X-Signature is missing or is not sha256=<HMAC of the body> with Dora:Flux:WebhookSecret."
            : "Send Authorization: Bearer with the token in Dora:Flux:WebhookToken.");

    // A signed request must carry a good signature; otherwise the bearer token, when one is set.
    // Before the body is read: the refusal so far, and whether the body's signature is still to check.
    private static (string? Refusal, bool Signed) Credential(HttpRequest request, FluxOptions settings)
    {
        var signature = request.Headers["X-Signature"].ToString();
        if (!string.IsNullOrEmpty(settings.WebhookSecret) && (signature.Length > 0 || string.IsNullOrEmpty(settings.WebhookToken)))
        {
            return (WebhookSecurity.IsSha256Signature(signature) ? null : "signature", true);
        }

        return (!string.IsNullOrEmpty(settings.WebhookToken) && WebhookSecurity.HasBearerToken(request, settings.WebhookToken) ? null : "unauthorized", false);
    }
}
