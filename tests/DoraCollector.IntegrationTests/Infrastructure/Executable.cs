namespace DoraCollector.IntegrationTests.Infrastructure;

/// <summary>Finds the programs the integration tests drive for real, or says how to install them.</summary>
internal static class Executable
{
    public static string Find(string name) => Find(name,
        "Run `make test` (scripts/deps.sh installs Debian's prometheus package, which brings prometheus and promtool), " +
        "or install it: apt-get install prometheus.");

    /// <summary>Finds <paramref name="name"/>, or fails with <paramref name="howToInstall"/>.</summary>
    public static string Find(string name, string howToInstall) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/bin")
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException(
            $"{name} was not found on PATH. {howToInstall}");
}
