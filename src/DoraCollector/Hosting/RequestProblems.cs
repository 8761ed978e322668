using Microsoft.AspNetCore.Http.HttpResults;

namespace DoraCollector.Hosting;

/// <summary>
/// What is wrong with a request, one message per bad field or parameter (<c>[2].commits[0].sha</c>,
/// <c>window</c>), in the order found, so a client learns every mistake in one answer. Bodies, query
/// parameters, report requests and Alertmanager payloads all collect here, and all answer with the
/// same RFC 9457 problem details (docs/api.md): <c>errors</c> holds the messages by field or parameter.
/// </summary>
internal sealed class RequestProblems
{
    private readonly List<(string Key, string Message)> _items = [];
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    /// <summary>How many messages there are (a field can have more than one).</summary>
    public int Count => _items.Count;

    public bool Any => _items.Count > 0;

    /// <summary>Every message with its field or parameter, in the order found.</summary>
    public IReadOnlyList<(string Key, string Message)> Items => _items;

    /// <summary>The messages by field or parameter, as problem details' <c>errors</c> holds them.</summary>
    public IReadOnlyDictionary<string, string[]> Errors => _errors;

    /// <summary>The first problem, and how many more there are; a message about the whole body (no field) says <c>body</c>.</summary>
    public string Summary => _items.Count == 0
        ? ""
        : $"{(_items[0].Key.Length == 0 ? "body" : _items[0].Key)}: {_items[0].Message}{(_items.Count > 1 ? $" (and {_items.Count - 1} more)" : "")}";

    public void Add(string key, string message)
    {
        _items.Add((key, message));
        _errors[key] = _errors.TryGetValue(key, out var earlier) ? [.. earlier, message] : [message];
    }

    public bool Has(string key) => _errors.ContainsKey(key);

    /// <summary>A 400 for bad query parameters: <c>detail</c> has every message (each names its parameter).</summary>
    public ValidationProblem QueryProblem() =>
        TypedResults.ValidationProblem(_errors, detail: string.Join("; ", _items.Select(i => i.Message)), title: "Invalid query parameter");

    /// <summary>A 400 for a bad body: <c>detail</c> has the first problem and how many more there are.</summary>
    public ValidationProblem BodyProblem() =>
        TypedResults.ValidationProblem(_errors, detail: Summary, title: "The request is invalid");
}
