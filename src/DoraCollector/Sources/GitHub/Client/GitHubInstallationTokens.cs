using System.Collections.Concurrent;

namespace DoraCollector.Sources.GitHub.Client;

/// <summary>
/// Installation access tokens of the GitHub App, one per account (organisation or user) that
/// installed it. A token lives an hour; it is replaced five minutes before it expires, or at once
/// when GitHub refuses it.
/// </summary>
internal sealed class GitHubInstallationTokens(TimeProvider clock)
{
    private static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, InstallationToken> _tokens = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _refresh = new(1, 1);

    public async Task<string> GetAsync(string owner, Func<CancellationToken, Task<InstallationToken>> create, CancellationToken ct)
    {
        if (Fresh(owner) is { } token)
        {
            return token;
        }

        await _refresh.WaitAsync(ct);
        try
        {
            if (Fresh(owner) is { } again)
            {
                return again;
            }

            var created = await create(ct);
            _tokens[owner] = created;
            return created.Token;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Invalidate(string owner) => _tokens.TryRemove(owner, out _);

    /// <summary>Installation ids found per account, so a token refresh costs one request, not two.</summary>
    public ConcurrentDictionary<string, long> Installations { get; } = new(StringComparer.OrdinalIgnoreCase);

    private string? Fresh(string owner) =>
        _tokens.TryGetValue(owner, out var token) && token.ExpiresAt - RefreshBefore > clock.GetUtcNow() ? token.Token : null;
}

/// <summary>An installation token and when GitHub said it expires.</summary>
internal sealed record InstallationToken(string Token, DateTimeOffset ExpiresAt);
