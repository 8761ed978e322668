using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.Kubernetes;

/// <summary>
/// Where the API server is and how to prove who we are: the server URL, the service-account
/// token (re-read every minute, since the kubelet rotates projected tokens) and the CA bundle
/// that signs the server's certificate.
/// </summary>
internal sealed class KubernetesCredentials(IOptions<KubernetesOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private string? _token;
    private DateTimeOffset _tokenReadAt;

    /// <summary>The API server: <c>Dora:Kubernetes:ApiUrl</c>, else the in-cluster service address; null when neither is known.</summary>
    public Uri? ApiUrl
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(options.Value.ApiUrl))
            {
                return new Uri(options.Value.ApiUrl.TrimEnd('/') + "/");
            }

            var host = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST");
            var port = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT");
            if (string.IsNullOrWhiteSpace(host))
            {
                return null;
            }

            // The certificate is valid for this address; an IPv6 address needs brackets in a URL.
            var authority = host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host;
            return new Uri($"https://{authority}:{(string.IsNullOrWhiteSpace(port) ? "443" : port)}/");
        }
    }

    /// <summary>The bearer token, or null when there is no token file (e.g. behind <c>kubectl proxy</c>).</summary>
    public string? Token
    {
        get
        {
            lock (_gate)
            {
                var now = clock.GetUtcNow();
                if (_token is null || now - _tokenReadAt >= TokenLifetime)
                {
                    _token = File.Exists(options.Value.TokenPath) ? File.ReadAllText(options.Value.TokenPath).Trim() : null;
                    _tokenReadAt = now;
                }

                return _token;
            }
        }
    }

    /// <summary>The CA certificates to trust for the API server; empty when the CA file is absent.</summary>
    public X509Certificate2Collection LoadCertificateAuthorities()
    {
        var bundle = new X509Certificate2Collection();
        if (File.Exists(options.Value.CaPath))
        {
            bundle.ImportFromPemFile(options.Value.CaPath);
        }

        return bundle;
    }
}
