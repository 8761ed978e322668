using System.Text.Json;
using System.Text.Json.Serialization;

namespace DoraCollector.Sources.Kubernetes;

/// <summary>
/// A list response: <c>{"kind": "…List", "metadata": {"resourceVersion", "continue"}, "items": […]}</c>.
/// Items stay raw JSON: the sources read them with their own records.
/// </summary>
internal sealed record KubernetesListPage(ListMetadata? Metadata, List<JsonElement>? Items);

/// <param name="ResourceVersion">The version of the whole list; a watch started from it misses nothing.</param>
/// <param name="Continue">Token of the next page; empty on the last one. Expires after about five minutes (410).</param>
internal sealed record ListMetadata(string? ResourceVersion, [property: JsonPropertyName("continue")] string? Continue);

/// <summary>
/// The <c>Status</c> object of an error response: <c>code</c> 410 means the resource version is
/// too old (etcd compacted it) or a continue token expired.
/// </summary>
internal sealed record KubernetesStatus(string? Status, string? Message, string? Reason, int? Code);

/// <summary>All items of a list and the resource version to watch from.</summary>
internal sealed record KubernetesList(IReadOnlyList<JsonElement> Items, string ResourceVersion);

/// <summary>An object that was added or changed, as a watch reports it; <see cref="ResourceVersion"/> to resume from.</summary>
internal sealed record WatchEvent(string Type, JsonElement Object, string? ResourceVersion);

/// <summary>The API server no longer has the requested resource version (410 Gone): list again.</summary>
internal sealed class ResourceVersionGoneException(string message) : Exception(message);
