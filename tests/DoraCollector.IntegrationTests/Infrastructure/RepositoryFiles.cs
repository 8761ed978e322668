namespace DoraCollector.IntegrationTests.Infrastructure;

/// <summary>The repository's own files (dashboards, manifests, docs) that tests read as users would.</summary>
internal static class RepositoryFiles
{
    /// <summary>The folder that holds <c>DoraCollector.sln</c>.</summary>
    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(PathOf(parts));

    /// <summary>Files under <paramref name="folder"/> (relative to the root) matching <paramref name="pattern"/>, as relative paths with <c>/</c>.</summary>
    public static IReadOnlyList<string> Find(string folder, string pattern) =>
        Directory.EnumerateFiles(PathOf(folder), pattern, SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DoraCollector.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException($"no DoraCollector.sln above {AppContext.BaseDirectory}");
    }
}
