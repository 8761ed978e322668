using Dapper;

namespace DoraCollector.Api.Read;

/// <summary>
/// A WHERE clause built from constant SQL fragments; every value goes in as a parameter. The read
/// queries alias services <c>s</c> and teams <c>t</c>.
/// </summary>
internal sealed class SqlFilter
{
    private readonly List<string> _conditions = [];

    public DynamicParameters Parameters { get; } = new();

    public string Where => _conditions.Count == 0 ? "" : "WHERE " + string.Join("\n  AND ", _conditions);

    public SqlFilter Add(string condition)
    {
        _conditions.Add(condition);
        return this;
    }

    public SqlFilter Add(string condition, string parameter, object value)
    {
        _conditions.Add(condition);
        Parameters.Add(parameter, value);
        return this;
    }

    /// <summary>Service, team and environment (of <paramref name="alias"/>) as exact names.</summary>
    public SqlFilter Names(ListFilter filter, string alias)
    {
        if (filter.Service is { } service)
        {
            Add("s.name = @Service", "Service", service);
        }

        if (filter.Team is { } team)
        {
            Add("t.name = @Team", "Team", team);
        }

        if (filter.Environment is { } environment)
        {
            Add($"{alias}.environment = @Environment", "Environment", environment);
        }

        return this;
    }

    /// <summary><paramref name="column"/> in (from, to]: the rule the metric windows use.</summary>
    public SqlFilter Range(ListFilter filter, string column)
    {
        if (filter.From is { } from)
        {
            Add($"{column} > @From", "From", from);
        }

        return Add($"{column} <= @To", "To", filter.To);
    }

    public DynamicParameters WithPaging(Paging paging)
    {
        Parameters.Add("Limit", paging.PageSize);
        Parameters.Add("Offset", paging.Offset);
        return Parameters;
    }
}
