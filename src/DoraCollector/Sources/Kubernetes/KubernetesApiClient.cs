using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Autorest;

namespace DoraCollector.Sources.Kubernetes;

/// <summary>
/// The calls an informer needs, on one cluster, through the KubernetesClient package (its
/// transport, TLS and credentials: kubeconfig token, client certificate, exec plugin, service
/// account): list a collection (in pages, with the list's resource version) and watch it from a
/// resource version; and get one object. Paths are API paths such as <c>apis/argoproj.io/v1alpha1/applications</c>
/// or <c>apis/apps/v1/namespaces/shop/deployments</c>. The package is made on first use, so an
/// exec plugin that fails is retried by the caller rather than failing the start.
/// </summary>
internal sealed class KubernetesApiClient(string cluster, Func<KubernetesClientConfiguration> configure, KubernetesOptions options)
    : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Lock _gate = new();
    private k8s.Kubernetes? _client;

    /// <summary>The cluster's name (<c>Dora:Kubernetes:Clusters:N:Name</c>); <c>""</c> for the implicit cluster.</summary>
    public string Cluster => cluster;

    private k8s.Kubernetes Client
    {
        get
        {
            lock (_gate)
            {
                return _client ??= new k8s.Kubernetes(configure());
            }
        }
    }

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
    /// <exception cref="ResourceVersionGoneException">
    /// The version is too old: list again. The package hands an <c>ERROR</c> event (a 410 Status)
    /// only to its error callback and then ends the stream as if the server had closed it, so the
    /// callback's error is kept and thrown here when the stream ends.
    /// </exception>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(
        string path, string resourceVersion, string? labelSelector, [EnumeratorCancellation] CancellationToken ct)
    {
        var target = ApiPath.Parse(path);
        Exception? failure = null;
        var selector = string.IsNullOrWhiteSpace(labelSelector) ? null : labelSelector;
        var timeout = (int)options.WatchTimeout.TotalSeconds;
        var events = target.Namespace is { } ns
            ? Client.CustomObjects.WatchListNamespacedCustomObjectAsync(target.Group, target.Version, ns, target.Plural,
                allowWatchBookmarks: true, labelSelector: selector, resourceVersion: resourceVersion, timeoutSeconds: timeout,
                onError: e => failure ??= e, cancellationToken: ct)
            : Client.CustomObjects.WatchListClusterCustomObjectAsync(target.Group, target.Version, target.Plural,
                allowWatchBookmarks: true, labelSelector: selector, resourceVersion: resourceVersion, timeoutSeconds: timeout,
                onError: e => failure ??= e, cancellationToken: ct);

        await using var e = events.GetAsyncEnumerator(ct);
        while (true)
        {
            bool moved;
            try
            {
                moved = await e.MoveNextAsync();
            }
            catch (HttpOperationException x)
            {
                throw Failure(x, path);
            }

            if (!moved)
            {
                break;
            }

            var (type, obj) = e.Current;
            if (obj is JsonElement element)
            {
                yield return new WatchEvent(TypeName(type), element.Clone(), ResourceVersionOf(element));
            }

            if (failure is not null)
            {
                break;
            }
        }

        switch (failure)
        {
            case null:
                yield break;
            case KubernetesException { Status.Code: (int)HttpStatusCode.Gone } gone:
                throw new ResourceVersionGoneException(gone.Status.Message ?? "resource version too old");
            case KubernetesException { Status: { } status }:
                throw new HttpRequestException($"watch of {path} failed: {status.Code} {status.Reason} {status.Message}");
            default:
                throw new HttpRequestException($"watch of {path} failed: {failure.Message}", failure);
        }
    }

    /// <summary>
    /// One namespaced object, by its API path (<c>apis/apps/v1/namespaces/shop/deployments/checkout</c>).
    /// A failure (403, 404, …) is an <see cref="HttpRequestException"/> whose status code says which.
    /// </summary>
    public async Task<JsonElement> GetAsync(string path, CancellationToken ct)
    {
        var trimmed = path.Trim('/');
        var slash = trimmed.LastIndexOf('/');
        var target = ApiPath.Parse(slash > 0 ? trimmed[..slash] : trimmed);
        var name = Uri.UnescapeDataString(trimmed[(slash + 1)..]);
        if (target.Namespace is not { } ns)
        {
            throw new ArgumentException($"'{path}' is not the API path of a namespaced object", nameof(path));
        }

        try
        {
            using var response = await Client.CustomObjects.GetNamespacedCustomObjectWithHttpMessagesAsync<JsonElement>(
                target.Group, target.Version, ns, target.Plural, name, cancellationToken: ct);
            return response.Body.Clone();
        }
        catch (HttpOperationException x)
        {
            throw Failure(x, path);
        }
    }

    private async Task<KubernetesList> ListOnceAsync(string path, string? labelSelector, CancellationToken ct)
    {
        var target = ApiPath.Parse(path);
        var selector = string.IsNullOrWhiteSpace(labelSelector) ? null : labelSelector;
        var items = new List<JsonElement>();
        string? resourceVersion = null;
        string? next = null;
        do
        {
            HttpOperationResponse<JsonElement> response;
            try
            {
                response = target.Namespace is { } ns
                    ? await Client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<JsonElement>(
                        target.Group, target.Version, ns, target.Plural, continueParameter: next, labelSelector: selector,
                        limit: options.PageSize, cancellationToken: ct)
                    : await Client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync<JsonElement>(
                        target.Group, target.Version, target.Plural, continueParameter: next, labelSelector: selector,
                        limit: options.PageSize, cancellationToken: ct);
            }
            catch (HttpOperationException x)
            {
                throw Failure(x, path);
            }

            using var _ = response;
            var page = response.Body.Deserialize<KubernetesListPage>(Json) ?? throw new JsonException($"empty list response for {path}");
            items.AddRange((page.Items ?? []).Select(i => i.Clone()));

            // Every page carries the version of the list as a whole; the first one is authoritative.
            resourceVersion ??= page.Metadata?.ResourceVersion;
            next = string.IsNullOrEmpty(page.Metadata?.Continue) ? null : page.Metadata.Continue;
        }
        while (next is not null);

        return new KubernetesList(items, resourceVersion ?? "");
    }

    private Exception Failure(HttpOperationException x, string path)
    {
        var code = x.Response?.StatusCode ?? 0;
        KubernetesStatus? status = null;
        try
        {
            status = string.IsNullOrEmpty(x.Response?.Content) ? null : JsonSerializer.Deserialize<KubernetesStatus>(x.Response.Content, Json);
        }
        catch (JsonException)
        {
            // Not a Status body (a proxy's error page): the status code says enough.
        }

        if (code == HttpStatusCode.Gone)
        {
            return new ResourceVersionGoneException(status?.Message ?? "resource version too old");
        }

        var hint = code is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
            ? " (the account needs get, list and watch on this resource)"
            : "";
        var where = cluster.Length > 0 ? $" on cluster {cluster}" : "";
        return new HttpRequestException($"GET {path}{where}: {(int)code} {status?.Reason ?? x.Response?.ReasonPhrase}{hint}", x, code);
    }

    private static string TypeName(WatchEventType type) => type switch
    {
        WatchEventType.Added => "ADDED",
        WatchEventType.Modified => "MODIFIED",
        WatchEventType.Deleted => "DELETED",
        WatchEventType.Bookmark => "BOOKMARK",
        _ => "ERROR",
    };

    private static string? ResourceVersionOf(JsonElement obj) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty("metadata", out var metadata)
        && metadata.ValueKind == JsonValueKind.Object && metadata.TryGetProperty("resourceVersion", out var version)
        && version.ValueKind == JsonValueKind.String
            ? version.GetString()
            : null;

    public void Dispose()
    {
        lock (_gate)
        {
            _client?.Dispose();
            _client = null;
        }
    }
}
