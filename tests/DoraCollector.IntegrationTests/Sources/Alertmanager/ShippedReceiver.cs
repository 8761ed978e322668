namespace DoraCollector.IntegrationTests.Sources.Alertmanager;

/// <summary>
/// The receiver configuration shipped in <c>deploy/alertmanager/</c>, made runnable on loopback:
/// the collector's address, the token file and timings of seconds instead of minutes. Each
/// substitution must apply, so a change to the shipped file cannot silently escape the tests.
/// </summary>
internal static class ShippedReceiver
{
    public const string ConfigPath = "deploy/alertmanager/alertmanager.yml";
    public const string CustomResourcePath = "deploy/alertmanager/alertmanagerconfig.yaml";

    /// <summary>The plain Alertmanager configuration posting to <paramref name="webhookUrl"/>, reading the token from <c>$ROOT/token</c>.</summary>
    public static string Config(string webhookUrl)
    {
        var config = File.ReadAllText(PathOf(ConfigPath));
        foreach (var (from, to) in new[]
                 {
                     ("http://dora-collector.dora.svc:8080/webhooks/alertmanager", webhookUrl),
                     ("/etc/alertmanager/secrets/dora-collector-webhook/token", "$ROOT/token"),
                     ("group_interval: 1m", "group_interval: 1s"),
                     ("repeat_interval: 12h", "repeat_interval: 2s"),
                 })
        {
            Assert.True(config.Contains(from, StringComparison.Ordinal), $"{ConfigPath} no longer contains '{from}'");
            config = config.Replace(from, to, StringComparison.Ordinal);
        }

        return config;
    }

    public static string PathOf(string relative) => Path.Combine(RepositoryRoot(), relative);

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DoraCollector.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException($"no DoraCollector.sln above {AppContext.BaseDirectory}");
    }
}
