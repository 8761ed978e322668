using System.Text;

namespace DoraCollector.IntegrationTests.Sources.Kubernetes;

/// <summary>Writes a kubeconfig with one cluster, user and context per entry, as <c>kubectl config</c> would.</summary>
internal sealed class KubeconfigFile
{
    private readonly List<(string Name, Uri Server, string? Authority, string User)> _contexts = [];

    /// <summary>A context whose user authenticates with a bearer token.</summary>
    public KubeconfigFile Token(string name, Uri server, string token, string? authorityPem = null) =>
        Add(name, server, authorityPem, $"    token: {token}\n");

    /// <summary>A context whose user authenticates with a client certificate and key (PEM).</summary>
    public KubeconfigFile Certificate(string name, Uri server, string authorityPem, (string Certificate, string Key) client) =>
        Add(name, server, authorityPem,
            $"    client-certificate-data: {Base64(client.Certificate)}\n    client-key-data: {Base64(client.Key)}\n");

    /// <summary>A context whose user gets its credential from an exec plugin (as kubelogin, gke-gcloud-auth-plugin, aws eks get-token).</summary>
    public KubeconfigFile Exec(string name, Uri server, string command, params string[] args) =>
        Add(name, server, null,
            "    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n" +
            $"      command: {command}\n      args: [{string.Join(", ", args.Select(a => $"\"{a}\""))}]\n      interactiveMode: Never\n");

    public async Task<string> WriteAsync(string path)
    {
        var text = new StringBuilder("apiVersion: v1\nkind: Config\n");
        text.Append($"current-context: {_contexts[0].Name}\nclusters:\n");
        foreach (var c in _contexts)
        {
            text.Append($"- name: {c.Name}\n  cluster:\n    server: {c.Server.ToString().TrimEnd('/')}\n");
            if (c.Authority is not null)
            {
                text.Append($"    certificate-authority-data: {Base64(c.Authority)}\n");
            }
        }

        text.Append("users:\n");
        foreach (var c in _contexts)
        {
            text.Append($"- name: {c.Name}-user\n  user:\n{c.User}");
        }

        text.Append("contexts:\n");
        foreach (var c in _contexts)
        {
            text.Append($"- name: {c.Name}\n  context:\n    cluster: {c.Name}\n    user: {c.Name}-user\n");
        }

        await File.WriteAllTextAsync(path, text.ToString());
        return path;
    }

    private KubeconfigFile Add(string name, Uri server, string? authority, string user)
    {
        _contexts.Add((name, server, authority, user));
        return this;
    }

    private static string Base64(string pem) => Convert.ToBase64String(Encoding.UTF8.GetBytes(pem));
}
