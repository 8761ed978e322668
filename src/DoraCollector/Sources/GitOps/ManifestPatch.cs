using System.Text.RegularExpressions;

namespace DoraCollector.Sources.GitOps;

/// <summary>
/// The image tags a GitOps commit's diff sets, read from a file's unified patch (the <c>patch</c>
/// of a file in GitHub's compare answer). Three shapes are read, each from the lines the change
/// adds, with the file's other lines in the hunk (context) giving the image:
/// <list type="bullet">
/// <item>a Kustomize <c>images:</c> entry, <c>newTag:</c> under <c>- name:</c> (or <c>newName:</c>, the image
/// the workload then runs);</item>
/// <item>Helm values, <c>tag:</c> beside <c>repository:</c> (and <c>registry:</c>) in the same mapping;</item>
/// <item>a manifest's <c>image: ghcr.io/acme/checkout:&lt;tag&gt;</c> line.</item>
/// </list>
/// A tag whose image the hunk does not show (GitHub gives three lines of context) is returned
/// with no image. YAML anchors, flow mappings and templated values are not read.
/// </summary>
internal static partial class ManifestPatch
{
    public static IReadOnlyList<ImageTagChange> Read(string? patch)
    {
        if (string.IsNullOrEmpty(patch))
        {
            return [];
        }

        var changes = new List<ImageTagChange>();
        // The new file's lines of the current hunk (context and added), and the removed lines by key.
        var hunk = new List<(string Text, bool Added)>();
        var removedTags = new List<string>();
        foreach (var raw in patch.Split('\n'))
        {
            if (raw.StartsWith("@@", StringComparison.Ordinal))
            {
                hunk.Clear();
                removedTags.Clear();
                continue;
            }

            if (raw.StartsWith('-'))
            {
                if (TagLine().Match(raw[1..]) is { Success: true } removed)
                {
                    removedTags.Add(Unquote(removed.Groups["value"].Value));
                }

                continue;
            }

            if (raw.StartsWith('\\'))
            {
                continue; // "\ No newline at end of file"
            }

            var added = raw.StartsWith('+');
            var text = raw.Length > 0 ? raw[1..] : "";
            hunk.Add((text, added));
            if (!added)
            {
                continue;
            }

            if (ImageLine().Match(text) is { Success: true } image && ImageReference.Parse(Unquote(image.Groups["value"].Value)) is { Tag: { } imageTag } reference)
            {
                changes.Add(new ImageTagChange(reference.Name, null, imageTag));
            }
            else if (TagLine().Match(text) is { Success: true } tag && Unquote(tag.Groups["value"].Value) is { Length: > 0 } value)
            {
                var old = removedTags.Count > 0 ? removedTags[^1] : null;
                changes.Add(new ImageTagChange(ImageOf(hunk, hunk.Count - 1, tag.Groups["lead"].Value.Length), old, value));
            }
        }

        return changes.Distinct().ToList();
    }

    /// <summary>
    /// The image of the mapping the tag line at <paramref name="at"/> belongs to: the keys at the
    /// same indent above it, up to the line that opens the mapping (a <c>- </c> item or a line
    /// indented less). Kustomize and Helm charts write the image's name before its tag.
    /// </summary>
    private static string? ImageOf(List<(string Text, bool Added)> hunk, int at, int indent)
    {
        string? name = null, newName = null, repository = null, registry = null;
        void Read(string line)
        {
            if (Key().Match(line) is not { Success: true } key)
            {
                return;
            }

            var value = Unquote(key.Groups["value"].Value);
            switch (key.Groups["key"].Value)
            {
                case "name": name ??= value; break;
                case "newName": newName ??= value; break;
                case "repository": repository ??= value; break;
                case "registry": registry ??= value; break;
            }
        }

        for (var i = at; i >= 0; i--)
        {
            var line = hunk[i].Text;
            var lineIndent = Indent(line);
            if (line.Trim().Length == 0)
            {
                continue;
            }

            if (lineIndent < indent && !IsItemOpening(line, indent))
            {
                break;
            }

            if (lineIndent == indent || IsItemOpening(line, indent))
            {
                Read(line.TrimStart().TrimStart('-').TrimStart());
            }

            if (IsItemOpening(line, indent))
            {
                break;
            }
        }

        var image = newName ?? name ?? (repository is null ? null : registry is null ? repository : $"{registry}/{repository}");
        return ImageReference.NameOf(image);
    }

    // "  - name: x" opens a list item whose keys sit at the indent of "name".
    private static bool IsItemOpening(string line, int indent)
    {
        var trimmed = line.TrimStart();
        return trimmed.StartsWith("- ", StringComparison.Ordinal) && Indent(line) + 2 + (trimmed.Length - 2 - trimmed[2..].TrimStart().Length) == indent;
    }

    private static int Indent(string line) => line.Length - line.TrimStart(' ').Length;

    private static string Unquote(string value)
    {
        value = value.Trim();
        var hash = value.IndexOf(" #", StringComparison.Ordinal);
        if (hash >= 0)
        {
            value = value[..hash].TrimEnd(); // a setter marker: # {"$imagepolicy": "..."}
        }

        return value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0] ? value[1..^1] : value;
    }

    [GeneratedRegex(@"^(?<lead>\s*(?:-\s+)?)(?:newTag|tag):\s*(?<value>\S.*)$")]
    private static partial Regex TagLine();

    [GeneratedRegex(@"^\s*(?:-\s+)?image:\s*(?<value>\S.*)$")]
    private static partial Regex ImageLine();

    [GeneratedRegex(@"^(?<key>name|newName|repository|registry):\s*(?<value>\S.*)$")]
    private static partial Regex Key();
}
