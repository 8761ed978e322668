using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DoraCollector.Sources.ArgoCd;

/// <summary>
/// What the inbox keeps of a polled or watched Application: the fields rollouts are read from,
/// in the upstream shape (like the API's <c>fields=</c> selection), without what changes while
/// nothing is rolled out (sync status, health, reconcile times, resource lists). Each distinct
/// snapshot is kept under its own key, so the inbox holds every history entry and every failed
/// operation ever seen even after Argo CD has dropped them, and <c>recompute</c> replays them.
/// </summary>
internal static class ArgoCdSnapshot
{
    public const string Kind = "application";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static ArgoApplication Read(JsonElement element) =>
        element.Deserialize<ArgoApplication>(Json) ?? throw new JsonException("an Application is null");

    /// <summary>Reads UTF-8 JSON strictly: invalid UTF-8 is an error, not a replacement character.</summary>
    public static ArgoApplication Read(ReadOnlySpan<byte> utf8) =>
        JsonSerializer.Deserialize<ArgoApplication>(utf8, Json) ?? throw new JsonException("an Application is null");

    public static ArgoApplication Read(string json) =>
        JsonSerializer.Deserialize<ArgoApplication>(json, Json) ?? throw new JsonException("an Application is null");

    /// <summary><c>namespace/name</c>, or the name alone when the object names no namespace.</summary>
    public static string QualifiedName(ArgoApplication app) =>
        string.IsNullOrEmpty(app.Metadata?.Namespace) ? app.Metadata?.Name ?? "" : $"{app.Metadata.Namespace}/{app.Metadata.Name}";

    /// <summary>An operation still running: the snapshot after it ends carries everything this one does, and more.</summary>
    public static bool InProgress(ArgoApplication app) =>
        app.Status?.OperationState?.Phase is "Running" or "Terminating";

    /// <summary>The snapshot to store and its natural key (<c>namespace/name#digest</c>).</summary>
    public static (string Key, string Json) Of(ArgoApplication app)
    {
        var trimmed = app with { Status = app.Status is null ? null : app.Status with { Sync = null } };
        var json = JsonSerializer.Serialize(trimmed, Json);
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..16];
        return ($"{QualifiedName(app)}#{digest}", json);
    }
}
