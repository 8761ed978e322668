using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.Kubernetes;

/// <summary>
/// The two calls an informer needs, over plain HTTP: list a collection (in pages, with the
/// list's resource version) and watch it from a resource version (one JSON event per line).
/// Paths are API paths such as <c>apis/argoproj.io/v1alpha1/applications</c>.
/// </summary>
internal sealed class KubernetesApiClient(HttpClient http, KubernetesCredentials credentials, IOptions<KubernetesOptions> options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Every item of the collection; restarts once when a continue token expired (410) mid-list.</summary>
    public async Task<KubernetesList> ListAsync(string path, string? labelSelector, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ListOnceAsync(path, labelSelector, ct);
            }
            catch (ResourceVersionGoneException) when (attempt < 3)
            {
                // The continue token outlived the server's history: start the list over.
            }
        }
    }

    /// <summary>
    /// Events after <paramref name="resourceVersion"/> until the server closes the stream (after
    /// <see cref="KubernetesOptions.WatchTimeout"/>). Bookmarks only move the resource version.
    /// </summary>
    /// <exception cref="ResourceVersionGoneException">The version is too old: list again.</exception>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(
        string path, string resourceVersion, string? labelSelector, [EnumeratorCancellation] CancellationToken ct)
    {
        var query = new List<string>
        {
            "watch=1", "allowWatchBookmarks=true",
            $"resourceVersion={Uri.EscapeDataString(resourceVersion)}",
            $"timeoutSeconds={(int)options.Value.WatchTimeout.TotalSeconds}",
        };
        AddSelector(query, labelSelector);
        using var request = Request(path, query);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        await EnsureSuccessAsync(response, path, ct);

        await using var body = await response.Content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(body);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var watched = JsonSerializer.Deserialize<WatchLine>(line, Json) ?? throw new JsonException("empty watch event");
            var type = watched.Type ?? "";
            if (type == "ERROR")
            {
                var status = watched.Object.Deserialize<KubernetesStatus>(Json);
                if (status?.Code == (int)HttpStatusCode.Gone)
                {
                    throw new ResourceVersionGoneException(status.Message ?? "resource version too old");
                }

                throw new HttpRequestException($"watch of {path} failed: {status?.Code} {status?.Reason} {status?.Message}");
            }

            yield return new WatchEvent(type, watched.Object.Clone(), ResourceVersionOf(watched.Object));
        }
    }

    private async Task<KubernetesList> ListOnceAsync(string path, string? labelSelector, CancellationToken ct)
    {
        var items = new List<JsonElement>();
        string? resourceVersion = null;
        string? next = null;
        do
        {
            var query = new List<string> { $"limit={options.Value.PageSize.ToString(CultureInfo.InvariantCulture)}" };
            AddSelector(query, labelSelector);
            if (next is not null)
            {
                query.Add($"continue={Uri.EscapeDataString(next)}");
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.Value.RequestTimeout);
            using var request = Request(path, query);
            using var response = await http.SendAsync(request, timeout.Token);
            await EnsureSuccessAsync(response, path, timeout.Token);
            var page = await response.Content.ReadFromJsonAsync<KubernetesListPage>(Json, timeout.Token)
                       ?? throw new JsonException($"empty list response for {path}");
            items.AddRange(page.Items ?? []);

            // Every page carries the version of the list as a whole; the first one is authoritative.
            resourceVersion ??= page.Metadata?.ResourceVersion;
            next = string.IsNullOrEmpty(page.Metadata?.Continue) ? null : page.Metadata.Continue;
        }
        while (next is not null);

        return new KubernetesList(items, resourceVersion ?? "");
    }

    private HttpRequestMessage Request(string path, IEnumerable<string> query)
    {
        var baseUrl = credentials.ApiUrl ?? throw new InvalidOperationException(
            "The Kubernetes API server is unknown: not running in a pod (KUBERNETES_SERVICE_HOST is unset); set Dora:Kubernetes:ApiUrl.");
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, $"{path.TrimStart('/')}?{string.Join('&', query)}"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (credentials.Token is { Length: > 0 } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private static void AddSelector(List<string> query, string? labelSelector)
    {
        if (!string.IsNullOrWhiteSpace(labelSelector))
        {
            query.Add($"labelSelector={Uri.EscapeDataString(labelSelector)}");
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string path, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        KubernetesStatus? status = null;
        try
        {
            status = await response.Content.ReadFromJsonAsync<KubernetesStatus>(Json, ct);
        }
        catch (JsonException)
        {
            // Not a Status body (a proxy's error page): the status code says enough.
        }

        if (response.StatusCode == HttpStatusCode.Gone)
        {
            throw new ResourceVersionGoneException(status?.Message ?? "resource version too old");
        }

        var hint = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            ? " (the service account needs get, list and watch on this resource)"
            : "";
        throw new HttpRequestException(
            $"GET {path}: {(int)response.StatusCode} {status?.Reason ?? response.ReasonPhrase}{hint}", null, response.StatusCode);
    }

    private static string? ResourceVersionOf(JsonElement obj) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty("metadata", out var metadata)
        && metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("resourceVersion", out var version)
        && version.ValueKind == JsonValueKind.String
            ? version.GetString()
            : null;
}
