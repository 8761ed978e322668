namespace DoraCollector.Sources.Kubernetes;

/// <summary>
/// A collection's API path taken apart for the package's generic calls:
/// <c>apis/{group}/{version}[/namespaces/{ns}]/{plural}</c>, or <c>api/v1[/namespaces/{ns}]/{plural}</c>
/// for the core group.
/// </summary>
internal sealed record ApiPath(string Group, string Version, string? Namespace, string Plural)
{
    public static ApiPath Parse(string path) => path.Trim('/').Split('/') switch
    {
        ["apis", var g, var v, var plural] => new ApiPath(g, v, null, plural),
        ["apis", var g, var v, "namespaces", var ns, var plural] => new ApiPath(g, v, Uri.UnescapeDataString(ns), plural),
        ["api", var v, var plural] => new ApiPath("", v, null, plural),
        ["api", var v, "namespaces", var ns, var plural] => new ApiPath("", v, Uri.UnescapeDataString(ns), plural),
        _ => throw new ArgumentException($"'{path}' is not the API path of a collection", nameof(path)),
    };
}
