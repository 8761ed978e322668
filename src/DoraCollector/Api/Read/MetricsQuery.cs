namespace DoraCollector.Api.Read;

/// <summary>Filters of <c>GET /api/v1/metrics</c>, as sent.</summary>
/// <param name="Scope"><c>service</c>, <c>team</c> or <c>organization</c>.</param>
/// <param name="Window">One of the configured windows.</param>
internal sealed record MetricsQuery(string? Scope, string? Service, string? Team, string? Environment, string? Window);
