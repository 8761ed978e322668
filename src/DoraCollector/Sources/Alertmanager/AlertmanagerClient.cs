namespace DoraCollector.Sources.Alertmanager;

/// <summary>Alertmanager's API v2, at <c>Dora:Alertmanager:Url</c> (a path prefix such as <c>/alertmanager</c> is kept).</summary>
internal sealed class AlertmanagerClient(HttpClient http)
{
    /// <summary>
    /// <c>GET /api/v2/alerts</c>: every alert that is not resolved (firing, silenced, inhibited or
    /// not yet processed), narrowed by <paramref name="filter"/>, as the JSON Alertmanager sent.
    /// </summary>
    /// <exception cref="HttpRequestException">Alertmanager did not answer 2xx.</exception>
    public async Task<string> GetActiveAlertsAsync(IReadOnlyList<LabelMatcher> filter, CancellationToken ct)
    {
        var query = "api/v2/alerts?active=true&silenced=true&inhibited=true&unprocessed=true"
                    + string.Concat(filter.Select(m => "&filter=" + Uri.EscapeDataString(m.ToString())));
        using var response = await http.GetAsync(query, ct);
        if (!response.IsSuccessStatusCode)
        {
            var detail = await response.Content.ReadAsStringAsync(ct);
            throw new HttpRequestException(
                $"GET {query} answered {(int)response.StatusCode}: {(detail.Length > 300 ? detail[..300] : detail).ReplaceLineEndings(" ")}",
                null, response.StatusCode);
        }

        return await response.Content.ReadAsStringAsync(ct);
    }

    /// <summary>The base address for <c>Dora:Alertmanager:Url</c>: relative paths resolve under it.</summary>
    public static Uri BaseAddress(string url) => new(url.EndsWith('/') ? url : url + "/", UriKind.Absolute);
}
