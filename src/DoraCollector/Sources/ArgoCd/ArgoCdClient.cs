using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.ArgoCd;

/// <summary>
/// The Argo CD API server: <c>GET /api/v1/applications</c> with the account's bearer token,
/// asking only for the fields rollouts are read from (<c>fields=</c>, which Argo CD's gateway
/// applies to the JSON it returns), filtered by project and label selector.
/// </summary>
internal sealed class ArgoCdClient(HttpClient http, IOptionsMonitor<ArgoCdOptions> options)
{
    /// <summary>JSON paths of <c>v1alpha1ApplicationList</c> the collector reads.</summary>
    public const string Fields =
        "items.metadata.name,items.metadata.namespace,items.metadata.uid,items.metadata.labels,items.metadata.ownerReferences," +
        "items.spec.project,items.spec.destination,items.spec.source,items.spec.sources," +
        "items.status.history,items.status.operationState,items.status.summary";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<JsonElement>> ListApplicationsAsync(CancellationToken ct)
    {
        var settings = options.CurrentValue;
        var query = new List<string> { $"fields={Uri.EscapeDataString(Fields)}" };
        query.AddRange(settings.Projects.Select(p => $"projects={Uri.EscapeDataString(p)}"));
        if (!string.IsNullOrWhiteSpace(settings.Selector))
        {
            query.Add($"selector={Uri.EscapeDataString(settings.Selector)}");
        }

        using var response = await http.GetAsync($"api/v1/applications?{string.Join('&', query)}", ct);
        if (!response.IsSuccessStatusCode)
        {
            var hint = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                ? " (check Dora:ArgoCd:Token and that its account may get applications)"
                : "";
            throw new HttpRequestException(
                $"GET /api/v1/applications: {(int)response.StatusCode} {response.ReasonPhrase}{hint}", null, response.StatusCode);
        }

        var list = await response.Content.ReadFromJsonAsync<ApplicationList>(Json, ct) ?? throw new JsonException("empty application list");

        // An empty list comes back as "items": null.
        return list.Items ?? [];
    }

    private sealed record ApplicationList(List<JsonElement>? Items);
}
