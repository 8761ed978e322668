using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace DoraCollector.Sources.GitHub.Client;

/// <summary>
/// Authentication: a personal access token as it is, or as a GitHub App: a JWT signed with the
/// App's key buys an installation token for the account that owns the repository.
/// </summary>
internal sealed partial class GitHubClient
{
    private async Task<AuthenticationHeaderValue> AuthorizationAsync(string owner, AuthMode auth, CancellationToken ct)
    {
        if (auth == AuthMode.AppJwt)
        {
            return new AuthenticationHeaderValue("Bearer", GitHubAppJwt.Create(_options.AppId!.Value, _options.PrivateKey!, _clock.GetUtcNow()));
        }

        if (!string.IsNullOrWhiteSpace(_options.Token))
        {
            return new AuthenticationHeaderValue("Bearer", _options.Token.Trim());
        }

        if (_options.AppId is null)
        {
            throw new GitHubApiException(null, "no GitHub credentials are configured (Dora:GitHub:Token, or AppId and PrivateKey)");
        }

        var token = await _tokens.GetAsync(owner, token => CreateInstallationTokenAsync(owner, token), ct);
        return new AuthenticationHeaderValue("Bearer", token);
    }

    private async Task<InstallationToken> CreateInstallationTokenAsync(string owner, CancellationToken ct)
    {
        var installation = _options.InstallationId ?? await FindInstallationAsync(owner, ct);
        var response = await _pipeline.ExecuteAsync(async token => await AttemptAsync(owner, HttpMethod.Post,
            Resolve($"app/installations/{installation}/access_tokens"), "{}", null, Rest, AuthMode.AppJwt, token), ct);
        if (!response.IsSuccess)
        {
            throw Failure(response, "the installation token request");
        }

        var json = response.Json();
        var expires = DateTimeOffset.Parse(json.GetProperty("expires_at").GetString()!, CultureInfo.InvariantCulture);
        LogInstallationToken(owner, installation, expires);
        return new InstallationToken(json.GetProperty("token").GetString()!, expires);
    }

    // An App installed on an organisation answers at /orgs/{org}/installation, on a user at /users/{user}/installation.
    private async Task<long> FindInstallationAsync(string owner, CancellationToken ct)
    {
        if (_tokens.Installations.TryGetValue(owner, out var known))
        {
            return known;
        }

        foreach (var path in new[] { $"orgs/{owner}/installation", $"users/{owner}/installation" })
        {
            var response = await _pipeline.ExecuteAsync(async token =>
                await AttemptAsync(owner, HttpMethod.Get, Resolve(path), null, null, Rest, AuthMode.AppJwt, token), ct);
            if (response.IsSuccess)
            {
                var id = response.Json().GetProperty("id").GetInt64();
                _tokens.Installations[owner] = id;
                return id;
            }

            if (response.Status != HttpStatusCode.NotFound)
            {
                throw Failure(response, path);
            }
        }

        throw new GitHubApiException(HttpStatusCode.NotFound,
            $"the GitHub App is not installed on '{owner}' (or set Dora:GitHub:InstallationId)");
    }

    private enum AuthMode
    {
        Installation,
        AppJwt,
    }

    [LoggerMessage(EventId = 2207, Level = LogLevel.Information,
        Message = "GitHub App installation token for {Owner} (installation {Installation}) valid until {ExpiresAt}")]
    private partial void LogInstallationToken(string owner, long installation, DateTimeOffset expiresAt);
}
