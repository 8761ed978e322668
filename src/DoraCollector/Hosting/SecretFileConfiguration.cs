namespace DoraCollector.Hosting;

/// <summary>
/// Lets every secret come from a file, so Kubernetes Secrets mount cleanly: a key
/// <c>Dora:GitHub:TokenFile=/var/run/secrets/github/token</c> sets <c>Dora:GitHub:Token</c> to the
/// file's content (trailing newlines removed). <c>Dora:Api:KeysFile</c> holds one key per line.
/// Added last, so it sees every other source; a missing or unreadable file is reported by
/// <see cref="StartupValidation"/> under the <c>…File</c> key.
/// </summary>
internal sealed class SecretFileConfigurationSource : IConfigurationSource
{
    private static readonly string[] SecretNames =
        ["Token", "PrivateKey", "WebhookSecret", "WebhookToken", "WebhookPassword", "Password"];

    public List<string> Errors { get; } = [];

    public IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        Errors.Clear();
        foreach (var (key, path) in CurrentValues(builder))
        {
            if (string.IsNullOrWhiteSpace(path) || !key.EndsWith("File", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var target = key[..^"File".Length];
            var name = target[(target.LastIndexOf(':') + 1)..];
            var isConnectionString = target.StartsWith("ConnectionStrings:", StringComparison.OrdinalIgnoreCase);
            var isKeyList = string.Equals(target, "Dora:Api:Keys", StringComparison.OrdinalIgnoreCase);
            if (!isConnectionString && !isKeyList && !SecretNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            string content;
            try
            {
                content = File.ReadAllText(path).TrimEnd('\r', '\n');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Errors.Add($"{key}: cannot read '{path}' ({e.GetType().Name})");
                continue;
            }

            if (isKeyList)
            {
                var keys = content.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                for (var i = 0; i < keys.Length; i++)
                {
                    data[$"{target}:{i}"] = keys[i];
                }
            }
            else
            {
                data[target] = content;
            }
        }

        return new SecretFileConfigurationProvider(data);
    }

    // A ConfigurationManager (WebApplicationBuilder.Configuration) already holds the values of the
    // sources added before this one; any other builder is built once without this source.
    private IEnumerable<KeyValuePair<string, string?>> CurrentValues(IConfigurationBuilder builder)
    {
        if (builder is IConfiguration current)
        {
            return current.AsEnumerable().ToList();
        }

        var others = new ConfigurationBuilder();
        foreach (var source in builder.Sources.Where(s => s != this))
        {
            others.Add(source);
        }

        return others.Build().AsEnumerable().ToList();
    }

    private sealed class SecretFileConfigurationProvider : ConfigurationProvider
    {
        public SecretFileConfigurationProvider(Dictionary<string, string?> data) => Data = data;
    }
}
