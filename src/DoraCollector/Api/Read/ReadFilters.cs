using DoraCollector.Hosting;
using DoraCollector.Metrics;
using Microsoft.Extensions.Options;

namespace DoraCollector.Api.Read;

/// <summary>Turns the shared query parameters into a <see cref="ListFilter"/>, with ranges that end now.</summary>
internal sealed class ReadFilters(IOptionsMonitor<MetricsOptions> metrics, TimeProvider clock)
{
    public ListFilter Read(ListQuery query, QueryReader reader)
    {
        var service = reader.Name(query.Service, "service");
        var team = reader.Name(query.Team, "team");
        var environment = reader.Name(query.Environment, "environment");
        var (from, to) = Range(query, reader);
        var paging = ReadPaging(query.Page, query.PageSize, reader);
        return new ListFilter(service, team, environment, from, to, paging);
    }

    /// <summary>(now − window, now], or (from, to] with to now and from unbounded when left out.</summary>
    private (DateTimeOffset? From, DateTimeOffset To) Range(ListQuery query, QueryReader reader)
    {
        var now = clock.GetUtcNow();
        if (query.Window is not null)
        {
            if (query.From is not null || query.To is not null)
            {
                reader.Problems.Add("window", "window cannot be combined with from or to; send a window or a from/to range");
                return (null, now);
            }

            return (Window(query.Window, reader) is { } length ? now - length : null, now);
        }

        var from = reader.Instant(query.From, "from");
        var to = reader.Instant(query.To, "to") ?? now;
        if (from is { } f && f >= to)
        {
            reader.Problems.Add("from", query.To is null
                ? $"from '{query.From}' must be earlier than to, which is now when left out"
                : $"from '{query.From}' must be earlier than to '{query.To}'");
        }

        return (from, to);
    }

    public Paging ReadPaging(string? page, string? pageSize, QueryReader reader) => new(
        reader.Integer(page, "page", 1, 1, int.MaxValue),
        reader.Integer(pageSize, "pageSize", Paging.DefaultPageSize, 1, Paging.MaxPageSize));

    /// <summary>The length of a configured window; any other value is a problem naming <c>window</c>.</summary>
    public TimeSpan? Window(string? value, QueryReader reader)
    {
        if (value is null)
        {
            return null;
        }

        var windows = metrics.CurrentValue.EffectiveWindows;
        if (windows.Contains(value, StringComparer.Ordinal) && Duration.TryParse(value, out var length))
        {
            return length;
        }

        reader.Problems.Add("window", $"window '{value}' is not one of the configured windows {string.Join(", ", windows)}");
        return null;
    }
}
