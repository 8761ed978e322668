using System.Text.RegularExpressions;

namespace DoraCollector.Sources.GitOps;

/// <summary>
/// Reads a GitOps commit's message for what it rolls out. Recognised, in this order:
/// <list type="bullet">
/// <item>a trailer <c>Source-Commit: acme/shop@&lt;sha&gt;</c>, or <c>acme/shop@&lt;sha&gt;</c> anywhere in the
/// message (how GitHub itself writes a cross-repository commit reference);</item>
/// <item>Argo CD Image Updater's default message (<c>DefaultGitCommitMessage</c> in
/// argoproj-labs/argocd-image-updater, <c>pkg/common/constants.go</c>):
/// <c>build: automatic update of &lt;app&gt;</c> then one line per image,
/// <c>updates image &lt;image&gt; tag '&lt;old&gt;' to '&lt;new&gt;'</c> (double quotes accepted too, as some
/// published templates write them);</item>
/// <item>Flux image automation's documented templates (fluxcd website, guide "Automate image updates
/// to Git", "Configure the commit message"): an <c>Images:</c> list of updated references
/// (<c>- ghcr.io/acme/checkout:1.4.2</c>, from <c>.Updated.Images</c>), and the <c>.Changed.Objects</c>
/// form with one <c>- &lt;old&gt; -&gt; &lt;new&gt;</c> line per changed value. Flux's built-in default,
/// <c>Update from image update automation</c> (image-automation-controller, <c>internal/source/source.go</c>),
/// names nothing: such a commit is read from its diff instead.</item>
/// </list>
/// </summary>
internal static partial class CommitMessageLinks
{
    public static MessageLinks Read(string? message)
    {
        if (string.IsNullOrWhiteSpace(message))
        {
            return MessageLinks.None;
        }

        var commits = new List<SourceCommitLink>();
        foreach (Match m in Trailer().Matches(message))
        {
            Add(commits, m);
        }

        foreach (Match m in Reference().Matches(message))
        {
            Add(commits, m);
        }

        var images = new List<ImageTagChange>();
        foreach (Match m in ImageUpdater().Matches(message))
        {
            if (ImageReference.NameOf(m.Groups["image"].Value) is { } name)
            {
                images.Add(new ImageTagChange(name, Empty(m.Groups["old"].Value), m.Groups["new"].Value));
            }
        }

        images.AddRange(FluxImages(message));
        return commits.Count == 0 && images.Count == 0 ? MessageLinks.None : new MessageLinks(commits, images.Distinct().ToList());
    }

    private static void Add(List<SourceCommitLink> commits, Match m)
    {
        var link = new SourceCommitLink(m.Groups["repo"].Value.ToLowerInvariant(), m.Groups["sha"].Value.ToLowerInvariant());
        if (!commits.Contains(link))
        {
            commits.Add(link);
        }
    }

    private static string? Empty(string value) => value.Length == 0 ? null : value;

    /// <summary>The references under an <c>Images:</c> heading, and the <c>old -&gt; new</c> lines.</summary>
    private static IEnumerable<ImageTagChange> FluxImages(string message)
    {
        var inImages = false;
        foreach (var raw in message.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (Arrow().Match(line) is { Success: true } arrow)
            {
                var (before, after) = (ImageReference.Parse(arrow.Groups["old"].Value), ImageReference.Parse(arrow.Groups["new"].Value));
                if (after?.Tag is not null && after.Name.Contains('/', StringComparison.Ordinal) && LooksLikeImage(arrow.Groups["new"].Value))
                {
                    yield return new ImageTagChange(after.Name, before?.Tag, after.Tag);
                }
                else if (TagOnly().IsMatch(arrow.Groups["new"].Value))
                {
                    // A setter on a tag field (`# {"$imagepolicy": "ns:policy:tag"}`) changes the tag alone.
                    yield return new ImageTagChange(null, Empty(arrow.Groups["old"].Value), arrow.Groups["new"].Value);
                }

                continue;
            }

            if (line.EndsWith(':') && !line.StartsWith('-'))
            {
                inImages = line.Equals("Images:", StringComparison.OrdinalIgnoreCase);
                continue;
            }

            if (inImages && line.StartsWith("- ", StringComparison.Ordinal) && ImageReference.Parse(line[2..].Trim()) is { Tag: { } tag } image)
            {
                yield return new ImageTagChange(image.Name, null, tag);
            }
        }
    }

    // A reference with a tag and a registry or path ("nginx:1.25" alone could be anything).
    private static bool LooksLikeImage(string text) => text.Contains('/', StringComparison.Ordinal) && text.Contains(':', StringComparison.Ordinal);

    [GeneratedRegex(@"^[ \t]*Source-Commit:[ \t]*(?<repo>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)@(?<sha>[0-9a-fA-F]{7,40})[ \t]*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex Trailer();

    // GitHub's cross-repository commit reference; not part of a URL or an e-mail address.
    [GeneratedRegex(@"(?<![\w./@:-])(?<repo>[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)@(?<sha>[0-9a-fA-F]{7,40})(?![\w-])")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^[ \t]*updates image (?<q>['""]?)(?<image>[^\s'""]+)\k<q> tag (?<q2>['""])(?<old>[^'""\n]*)\k<q2> to (?<q3>['""])(?<new>[^'""\n]+)\k<q3>", RegexOptions.Multiline)]
    private static partial Regex ImageUpdater();

    [GeneratedRegex(@"^-?\s*(?<old>\S+)\s+->\s+(?<new>\S+)$")]
    private static partial Regex Arrow();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagOnly();
}
