using System.Text.Json;
using DoraCollector.Ingestion;
using DoraCollector.Sources.GitHub.Mapping;
using DoraCollector.Sources.GitHub.Polling;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.GitHub.Webhooks;

/// <summary>
/// <c>POST /webhooks/github</c>: checks that <c>X-Hub-Signature-256</c> is there and well formed
/// before reading the body (at most <c>Dora:GitHub:MaxWebhookBytes</c>), and that it is the
/// HMAC-SHA256 of the raw body with the webhook secret before looking at anything else; stores
/// the delivery verbatim under its <c>X-GitHub-Delivery</c> id (a redelivery is a duplicate) and answers at once; mapping follows
/// in the background. A <c>push</c> to a polled repository's default branch requests its sync
/// (<see cref="GitHubSyncRequests"/>); <c>ping</c>, other pushes, a <c>deployment</c> whose payload
/// names no image (its statuses carry the outcome) and events the collector does not use are
/// acknowledged, not stored.
/// </summary>
internal static class GitHubWebhookEndpoints
{
    public const string Source = "github";

    internal static async Task<IResult> ReceiveAsync(
        HttpRequest request, WebhookInbox inbox, GitHubSyncRequests syncs, IOptionsMonitor<GitHubOptions> options, TimeProvider clock,
        CancellationToken ct)
    {
        var secret = options.CurrentValue.WebhookSecret;
        if (string.IsNullOrWhiteSpace(secret))
        {
            return inbox.Reject(Source, "disabled", StatusCodes.Status404NotFound,
                "GitHub webhooks are not enabled here: set Dora:GitHub:WebhookSecret to the webhook's secret.");
        }

        // Everything that can be refused without the body is refused before a byte of it is read.
        var signature = request.Headers["X-Hub-Signature-256"].ToString();
        if (signature.Length == 0)
        {
            return inbox.Reject(Source, "signature", StatusCodes.Status401Unauthorized,
                "X-Hub-Signature-256 is missing: give the webhook the secret set in Dora:GitHub:WebhookSecret.");
        }

        if (!WebhookSecurity.IsSha256Signature(signature))
        {
            return inbox.Reject(Source, "signature", StatusCodes.Status401Unauthorized,
                "X-Hub-Signature-256 is not sha256= followed by 64 hexadecimal digits.");
        }

        var read = await inbox.ReadBodyAsync(request, Source, options.CurrentValue.MaxWebhookBytes, "Dora:GitHub:MaxWebhookBytes", ct);
        if (read.Body is not { } received)
        {
            return read.Refusal!;
        }

        if (!received.IsSignedWith(signature, secret))
        {
            return inbox.Reject(Source, "signature", StatusCodes.Status401Unauthorized,
                "X-Hub-Signature-256 does not match the body signed with the webhook secret.");
        }

        var body = received.ToArray();

        var name = request.Headers["X-GitHub-Event"].ToString().Trim();
        var delivery = request.Headers["X-GitHub-Delivery"].ToString().Trim();
        if (name.Length == 0 || delivery.Length is 0 or > 100)
        {
            return inbox.Reject(Source, "malformed", StatusCodes.Status400BadRequest,
                "X-GitHub-Event and X-GitHub-Delivery (at most 100 characters) are required.");
        }

        if (name == "ping")
        {
            return TypedResults.Ok(new WebhookReceipt("pong", delivery));
        }

        if (!GitHubKinds.WebhookEvents.Contains(name) && name != GitHubKinds.Push)
        {
            return TypedResults.Ok(new WebhookReceipt("ignored", delivery));
        }

        if (!request.HasJsonContentType())
        {
            return inbox.Reject(Source, "content_type", StatusCodes.Status415UnsupportedMediaType,
                "Set the webhook's content type to application/json.");
        }

        string? repository;
        bool movesDefaultBranch;
        bool namesImages;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return inbox.Reject(Source, "malformed", StatusCodes.Status400BadRequest, "The body is not a JSON object.");
            }

            var root = document.RootElement;
            repository = root.TryGetProperty("repository", out var r) && r.ValueKind == JsonValueKind.Object
                         && r.TryGetProperty("full_name", out var fullName) && fullName.ValueKind == JsonValueKind.String
                ? fullName.GetString()
                : null;
            movesDefaultBranch = name == GitHubKinds.Push
                                 && root.TryGetProperty("ref", out var pushed) && pushed.ValueKind == JsonValueKind.String
                                 && r.ValueKind == JsonValueKind.Object
                                 && r.TryGetProperty("default_branch", out var branch) && branch.ValueKind == JsonValueKind.String
                                 && pushed.GetString() == "refs/heads/" + branch.GetString();
            namesImages = name == GitHubKinds.Deployment
                          && root.TryGetProperty("deployment", out var deployment) && deployment.ValueKind == JsonValueKind.Object
                          && deployment.TryGetProperty("payload", out var payload) && DeploymentImages.Read(payload).Count > 0;
        }
        // A string that is not UTF-8 where a name is read cannot be read at all (no sender
        // writes one): it is as malformed as bad JSON.
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return inbox.Reject(Source, "malformed", StatusCodes.Status400BadRequest, $"The body is not valid JSON: {e.Message}");
        }

        if (repository is null)
        {
            return inbox.Reject(Source, "malformed", StatusCodes.Status400BadRequest, $"A {name} delivery must name its repository.");
        }

        // An organisation webhook sends every repository's events: keep those the collector collects.
        if (!RepositoryPattern.IsCollected(options.CurrentValue, repository))
        {
            return TypedResults.Ok(new WebhookReceipt("ignored", delivery));
        }

        if (name == GitHubKinds.Push)
        {
            // A push lists commits without their parents: the repository's sync reads them whole,
            // so a push is not stored; one that moves the default branch of a polled repository
            // brings that sync forward instead of waiting for the next pass.
            return movesDefaultBranch && options.CurrentValue.Polls && await syncs.RequestAsync(repository, ct)
                ? TypedResults.Accepted((string?)null, new WebhookReceipt("sync_requested", delivery))
                : TypedResults.Ok(new WebhookReceipt("ignored", delivery));
        }

        // A deployment has no outcome until its statuses arrive: only one whose payload names the
        // images it deploys is kept, as the link from those images to its commit.
        if (name == GitHubKinds.Deployment && !namesImages)
        {
            return TypedResults.Ok(new WebhookReceipt("ignored", delivery));
        }

        return await inbox.StoreAsync(new NewRawEvent(Source, name, delivery, body, clock.GetUtcNow()), ct);
    }
}
