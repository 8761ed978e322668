using System.Text.Json;
using DoraCollector.Sources.GitOps;

namespace DoraCollector.Sources.GitHub.Mapping;

/// <summary>
/// The images a GitHub deployment's payload names (docs/sources/github.md, "Deployments created by
/// CI"): an <c>image</c> string, or an <c>images</c> array of strings, each a reference with a tag
/// or a digest (<c>ghcr.io/acme/checkout:3f2c1ab</c>, <c>ghcr.io/acme/checkout@sha256:…</c>). The
/// payload is an object, or a string holding one (GraphQL and some deployment actions give it as
/// text). Anything else names no image: a reference without tag or digest (it would be
/// <c>latest</c>, which names no build), a value that is not a string, text that is not a reference.
/// </summary>
internal static class DeploymentImages
{
    /// <summary>At most this many images are read from one payload (a build pushes a handful).</summary>
    public const int MaxImages = 20;

    /// <summary>An image reference longer than this is not one.</summary>
    public const int MaxReferenceLength = 512;

    // Nesting a string payload inside a string is not followed past this many levels.
    private const int MaxTextDepth = 2;

    public static IReadOnlyList<ImageReference> Read(JsonElement? payload) => Read(payload, 0);

    /// <summary>The images of a payload given as JSON text (GraphQL's <c>Deployment.payload</c>); none when it is not JSON.</summary>
    public static IReadOnlyList<ImageReference> ReadText(string? payload) => FromText(payload, 0);

    private static IReadOnlyList<ImageReference> Read(JsonElement? payload, int depth)
    {
        if (payload is not { } p)
        {
            return [];
        }

        if (p.ValueKind == JsonValueKind.String)
        {
            return FromText(Text(p), depth);
        }

        if (p.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var texts = new List<string?>();
        if (p.TryGetProperty("image", out var one) && one.ValueKind == JsonValueKind.String)
        {
            texts.Add(Text(one));
        }

        if (p.TryGetProperty("images", out var many) && many.ValueKind == JsonValueKind.Array)
        {
            texts.AddRange(many.EnumerateArray().Take(MaxImages * 4).Where(i => i.ValueKind == JsonValueKind.String).Select(Text));
        }

        return texts
            .Where(t => t is { Length: > 0 and <= MaxReferenceLength })
            .Select(ImageReference.Parse)
            .Where(i => i is not null && (i.Tag is not null || i.Digest is not null))
            .Select(i => i!)
            .DistinctBy(i => i.ToString())
            .Take(MaxImages)
            .ToList();
    }

    // A string that is not UTF-8 is no image reference.
    private static string? Text(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static IReadOnlyList<ImageReference> FromText(string? text, int depth)
    {
        if (depth >= MaxTextDepth || string.IsNullOrWhiteSpace(text) || !text.TrimStart().StartsWith('{'))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 16 });
            return Read(document.RootElement.Clone(), depth + 1);
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
