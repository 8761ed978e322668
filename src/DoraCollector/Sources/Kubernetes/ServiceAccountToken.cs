using System.Net.Http.Headers;
using k8s.Authentication;

namespace DoraCollector.Sources.Kubernetes;

/// <summary>
/// The service-account token file as the package's token provider, read again as soon as the
/// kubelet rotates it (the file changed) and at least every minute. The package's own in-cluster
/// configuration re-reads only after a minute of wall-clock time and only at the fixed
/// service-account path, so this one is kept. No file (behind <c>kubectl proxy</c>): no header.
/// </summary>
internal sealed class ServiceAccountToken(string path, TimeProvider clock) : ITokenProvider
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private (DateTime Written, long Length) _version;
    private string? _token;
    private DateTimeOffset _readAt;

    public Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken) =>
        Task.FromResult(Current() is { Length: > 0 } token ? new AuthenticationHeaderValue("Bearer", token) : null!);

    public string? Current()
    {
        lock (_gate)
        {
            var file = new FileInfo(path);
            if (!file.Exists)
            {
                _token = null;
                return null;
            }

            // Kubelet swaps a symlink to a new file: its time (and usually length) changes.
            var version = (file.LastWriteTimeUtc, file.Length);
            var now = clock.GetUtcNow();
            if (_token is null || version != _version || now - _readAt >= Lifetime)
            {
                _token = File.ReadAllText(path).Trim();
                _version = version;
                _readAt = now;
            }

            return _token;
        }
    }
}
