using System.Text.RegularExpressions;

namespace DoraCollector.Sources.GitOps;

/// <summary>
/// A container image reference, <c>[registry/]repository[:tag][@digest]</c>, as the Docker
/// reference grammar (distribution/reference) reads it: the first component is a registry when
/// it has a <c>.</c> or a <c>:</c> or is <c>localhost</c>; otherwise the image is on Docker Hub
/// (<c>docker.io</c>), where a one-component repository is an official image under <c>library/</c>.
/// </summary>
/// <param name="Registry">Lower case; <c>docker.io</c> for Docker Hub (also written <c>index.docker.io</c>).</param>
/// <param name="Repository">The path inside the registry, lower case (references allow no upper case).</param>
/// <param name="Tag">Null when the reference names none (the runtime then pulls <c>latest</c>, which says nothing of a commit).</param>
/// <param name="Digest">The manifest digest (<c>sha256:…</c>), null when not pinned.</param>
internal sealed partial record ImageReference(string Registry, string Repository, string? Tag, string? Digest)
{
    public const string DockerHub = "docker.io";

    /// <summary>The image without tag and digest, as the catalog lists images: <c>ghcr.io/acme/checkout</c>.</summary>
    public string Name => $"{Registry}/{Repository}";

    /// <summary>The reference, or null when <paramref name="text"/> is not one.</summary>
    public static ImageReference? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var match = Reference().Match(text.Trim());
        if (!match.Success)
        {
            return null;
        }

        var path = match.Groups["name"].Value;
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? "" : path[..slash];
        string registry, repository;
        if (slash > 0 && (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"))
        {
            (registry, repository) = (first.ToLowerInvariant(), path[(slash + 1)..]);
        }
        else
        {
            (registry, repository) = (DockerHub, path);
        }

        if (registry is "index.docker.io" or "registry-1.docker.io")
        {
            registry = DockerHub;
        }

        if (registry == DockerHub && !repository.Contains('/', StringComparison.Ordinal))
        {
            repository = "library/" + repository;
        }

        return new ImageReference(
            registry,
            repository.ToLowerInvariant(),
            match.Groups["tag"].Success ? match.Groups["tag"].Value : null,
            match.Groups["digest"].Success ? match.Groups["digest"].Value.ToLowerInvariant() : null);
    }

    /// <summary>The image name of <paramref name="text"/> (with or without tag), normalised as <see cref="Name"/>; null when not an image.</summary>
    public static string? NameOf(string? text) => Parse(text)?.Name;

    public override string ToString() =>
        Name + (Tag is null ? "" : ":" + Tag) + (Digest is null ? "" : "@" + Digest);

    // distribution/reference: name components of lower-case alphanumerics joined by separators
    // (., _, __, one or more -), an optional host[:port] first; tag of word characters, . and -,
    // at most 128; digest algorithm:hex. Upper case is accepted in the name and lowered (Argo CD
    // and kubectl show what was written).
    [GeneratedRegex(
        @"^(?<name>(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]+)?/)?[A-Za-z0-9]+(?:(?:[._]|__|-+)[A-Za-z0-9]+)*(?:/[A-Za-z0-9]+(?:(?:[._]|__|-+)[A-Za-z0-9]+)*)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$")]
    private static partial Regex Reference();
}
