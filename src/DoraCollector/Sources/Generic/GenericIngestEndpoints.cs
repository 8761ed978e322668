using DoraCollector.Api;
using DoraCollector.Pipeline;
using System.Text.Json;
using DoraCollector.Hosting;
using DoraCollector.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.Generic;

/// <summary>
/// <c>POST /api/v1/deployments</c> and <c>POST /api/v1/incidents</c>: ingest for CI/CD systems and
/// incident tools without a dedicated source. One object or an array; idempotent on <c>id</c>;
/// every field is checked before anything is stored, and a bad request stores nothing.
/// </summary>
internal static class GenericIngestEndpoints
{
    /// <summary>The source of what this API stores, in the inbox and in the collector's own metrics.</summary>
    public const string Source = "generic";

    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    public static RouteGroupBuilder MapGenericIngest(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Ingest").AddEndpointFilter<ApiKeyFilter>();
        group.MapPost("/deployments", PostDeployments).WithName("PostDeployments").TimedAs(Source);
        group.MapPost("/incidents", PostIncidents).WithName("PostIncidents").TimedAs(Source);
        return group;
    }

    internal static Task<Results<Accepted<IngestResult>, ProblemHttpResult, ValidationProblem>> PostDeployments(
        HttpRequest request, [AsParameters] IngestServices services, CancellationToken ct) =>
        IngestAsync(request, services, "deployment", GenericRequestReader.ReadDeployment, d => d.Id, d => d.Service, ct);

    internal static Task<Results<Accepted<IngestResult>, ProblemHttpResult, ValidationProblem>> PostIncidents(
        HttpRequest request, [AsParameters] IngestServices services, CancellationToken ct) =>
        IngestAsync(request, services, "incident", GenericRequestReader.ReadIncident, i => i.Id, i => i.Service, ct);

    private static async Task<Results<Accepted<IngestResult>, ProblemHttpResult, ValidationProblem>> IngestAsync<T>(
        HttpRequest request, IngestServices services, string kind, Func<JsonFields, T?> read, Func<T, string> idOf, Func<T, string> serviceOf, CancellationToken ct)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the body as application/json.");
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException e)
        {
            services.Telemetry.WebhookRejected(Source, "malformed");
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed JSON",
                detail: $"The body is not valid JSON: {e.Message}");
        }
        catch (BadHttpRequestException e)
        {
            // The server's own limits (MaxRequestBodySize) and framing: the client's doing, not a fault here.
            var oversize = e.StatusCode == StatusCodes.Status413PayloadTooLarge;
            services.Telemetry.WebhookRejected(Source, oversize ? "oversize" : "incomplete");
            GenericIngestLog.Refused(services.Logs.CreateLogger(typeof(GenericIngestEndpoints).FullName!), e.StatusCode, e.Message);
            return TypedResults.Problem(statusCode: e.StatusCode, title: oversize ? "Payload too large" : "Bad request",
                detail: oversize ? $"The body is larger than the server takes: {e.Message}" : e.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            var elements = root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
            var batched = root.ValueKind == JsonValueKind.Array;
            var limit = services.Options.CurrentValue.MaxBatchSize;
            if (elements.Count > limit)
            {
                services.Telemetry.WebhookRejected(Source, "oversize");
                return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Batch too large",
                    detail: $"The batch has {elements.Count} items; at most {limit} are accepted per request (Dora:Api:MaxBatchSize).");
            }

            var problems = new RequestProblems();
            if (elements.Count == 0)
            {
                problems.Add("", "the batch is empty");
            }

            var now = services.Clock.GetUtcNow();
            var items = new List<T>();
            for (var i = 0; i < elements.Count; i++)
            {
                var path = batched ? $"[{i}]" : "";
                if (elements[i].ValueKind != JsonValueKind.Object)
                {
                    problems.Add(path.Length == 0 ? "$" : path, $"must be a {kind} object");
                    continue;
                }

                if (read(new JsonFields(elements[i], path, problems, now)) is { } item)
                {
                    items.Add(item);
                }
            }

            var duplicate = items.GroupBy(idOf).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                problems.Add("id", $"'{duplicate.Key}' appears more than once in the batch");
            }

            if (problems.Any)
            {
                services.Telemetry.WebhookRejected(Source, "invalid");
                return problems.BodyProblem();
            }

            // Each service's items are mapped in order, in the partition of its name.
            var stored = await services.Inbox.UpsertAllAsync(items.Select(item => new NewRawEvent(
                Source, kind, idOf(item), JsonSerializer.Serialize(item, PayloadJson), now) { Lane = DomainWriteLock.LaneOf(serviceOf(item)) }).ToList(), ct);
            services.Signal.Poke();
            var results = items.Select((item, i) => new IngestItem(idOf(item), stored[i] is null ? "unchanged" : "accepted")).ToList();
            return TypedResults.Accepted((string?)null, new IngestResult(results.Count(r => r.Result == "accepted"), results.Count(r => r.Result == "unchanged"), results));
        }
    }
}

/// <summary>What an ingest request did: each id was accepted (new or changed) or unchanged (a repeat).</summary>
internal sealed record IngestResult(int Accepted, int Unchanged, IReadOnlyList<IngestItem> Items);

internal sealed record IngestItem(string Id, string Result);

/// <summary>What the ingest handlers use, bound from the container.</summary>
internal sealed record IngestServices(
    RawEventStore Inbox,
    InboxSignal Signal,
    IOptionsMonitor<ApiOptions> Options,
    Hosting.CollectorTelemetry Telemetry,
    TimeProvider Clock,
    ILoggerFactory Logs);

internal static partial class GenericIngestLog
{
    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "Refused an ingest request ({Status}): {Reason}")]
    public static partial void Refused(ILogger logger, int status, string reason);
}
