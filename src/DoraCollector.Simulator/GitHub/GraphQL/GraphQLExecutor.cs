using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DoraCollector.Simulator.GitHub.GraphQL;

/// <summary>An object of the fake schema: resolves its fields by name, and refuses fields GitHub does not have.</summary>
internal abstract class GraphObject
{
    public abstract string TypeName { get; }

    /// <summary>Types an inline fragment on which applies to this object (its type and interfaces).</summary>
    public virtual IReadOnlyCollection<string> Implements => [TypeName];

    public abstract object? Resolve(string field, Arguments arguments);

    protected GraphQLException Unknown(string field) => new($"Field '{field}' doesn't exist on type '{TypeName}'");
}

/// <summary>Field arguments with variables substituted.</summary>
internal sealed class Arguments(Dictionary<string, object?> values)
{
    public object? this[string name] => values.GetValueOrDefault(name);

    public string? String(string name) => this[name] as string;

    public int? Int(string name) => this[name] switch
    {
        long l => (int)l,
        int i => i,
        _ => null,
    };

    public bool Has(string name) => values.ContainsKey(name) && values[name] is not null;
}

/// <summary>
/// Executes a parsed document against fake objects the way GitHub answers: the response has
/// exactly the selected fields under their aliases; declared variables must all be used and
/// used ones declared; a connection needs <c>first</c> of at most 100.
/// </summary>
internal sealed class GraphQLExecutor
{
    private readonly GraphQLDocument _document;
    private readonly Dictionary<string, object?> _variables;

    public GraphQLExecutor(GraphQLDocument document, JsonElement? variables)
    {
        _document = document;
        _variables = variables is { ValueKind: JsonValueKind.Object } v
            ? v.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value), StringComparer.Ordinal)
            : new Dictionary<string, object?>(StringComparer.Ordinal);
        var used = Used(document.Selections).ToHashSet(StringComparer.Ordinal);
        foreach (var name in used.Where(u => !document.VariableTypes.ContainsKey(u)))
        {
            throw new GraphQLException($"Variable ${name} is used by {document.OperationName} but not declared");
        }

        foreach (var (name, type) in document.VariableTypes)
        {
            if (!used.Contains(name))
            {
                throw new GraphQLException($"Variable ${name} is declared by {document.OperationName} but not used");
            }

            if (type.EndsWith('!') && _variables.GetValueOrDefault(name) is null)
            {
                throw new GraphQLException($"Variable ${name} of type {type} was provided invalid value");
            }
        }
    }

    public JsonObject Execute(GraphObject root) => Select(root, _document.Selections);

    private JsonObject Select(GraphObject target, List<Selection> selections)
    {
        var result = new JsonObject();
        foreach (var selection in selections)
        {
            switch (selection)
            {
                case InlineFragment fragment when Included(fragment.Directives):
                    if (target.Implements.Contains(fragment.TypeCondition))
                    {
                        foreach (var (key, node) in Select(target, fragment.Selections).ToList())
                        {
                            result[key] = node?.DeepClone();
                        }
                    }

                    break;
                case Field field when Included(field.Directives):
                    var arguments = new Arguments(field.Arguments.ToDictionary(a => a.Key, a => Evaluate(a.Value), StringComparer.Ordinal));
                    var value = field.Name == "__typename" ? target.TypeName : target.Resolve(field.Name, arguments);
                    result[field.Alias] = Convert(value, field);
                    break;
            }
        }

        return result;
    }

    private JsonNode? Convert(object? value, Field field) => value switch
    {
        null => null,
        GraphObject o when field.Selections is null => throw new GraphQLException($"Field must have selections (field '{field.Name}' returns {o.TypeName} but has no selections)"),
        GraphObject o => Select(o, field.Selections),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        DateTimeOffset at => JsonValue.Create(at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
        IEnumerable items => new JsonArray(items.Cast<object?>().Select(i => Convert(i, field)).ToArray()),
        _ => throw new InvalidOperationException($"cannot serialise {value.GetType().Name}"),
    };

    private bool Included(List<Directive> directives)
    {
        foreach (var directive in directives)
        {
            var condition = Evaluate(directive.Arguments["if"]) is true;
            if ((directive.Name == "include" && !condition) || (directive.Name == "skip" && condition))
            {
                return false;
            }
        }

        return true;
    }

    private object? Evaluate(Value value) => value switch
    {
        VariableValue v => _variables.GetValueOrDefault(v.Name),
        ConstValue c => c.Value,
        EnumValue e => e.Name,
        ListValue l => l.Items.Select(Evaluate).ToList(),
        ObjectValue o => o.Fields.ToDictionary(f => f.Key, f => Evaluate(f.Value), StringComparer.Ordinal),
        _ => null,
    };

    private static IEnumerable<string> Used(IEnumerable<Selection> selections)
    {
        foreach (var selection in selections)
        {
            var (arguments, directives, children) = selection switch
            {
                Field f => (f.Arguments.Values.ToList(), f.Directives, f.Selections ?? []),
                InlineFragment i => ([], i.Directives, i.Selections),
                _ => ([], [], []),
            };
            foreach (var name in arguments.Concat(directives.SelectMany(d => d.Arguments.Values)).SelectMany(Variables))
            {
                yield return name;
            }

            foreach (var name in Used(children))
            {
                yield return name;
            }
        }
    }

    private static IEnumerable<string> Variables(Value value) => value switch
    {
        VariableValue v => [v.Name],
        ListValue l => l.Items.SelectMany(Variables),
        ObjectValue o => o.Fields.Values.SelectMany(Variables),
        _ => [],
    };

    private static object? FromJson(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.GetInt64(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => element.EnumerateArray().Select(FromJson).ToList(),
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => FromJson(p.Value)),
        _ => null,
    };
}

/// <summary>A Relay connection with GitHub's rules: <c>first</c> required and at most 100, opaque cursors.</summary>
internal sealed class Connection(string typeName, IReadOnlyList<object?> items, Arguments arguments) : GraphObject
{
    private readonly int _offset = Decode(arguments.String("after"));
    private readonly int _first = arguments.Int("first") switch
    {
        null => throw new GraphQLException($"You must provide a `first` or `last` value to properly paginate the `{typeName}` connection."),
        > 100 and var n => throw new GraphQLException($"Requesting {n} records on the `{typeName}` connection exceeds the `first` limit of 100 records."),
        var n => n.Value,
    };

    public override string TypeName => typeName;

    public override object? Resolve(string field, Arguments args) => field switch
    {
        "nodes" => items.Skip(_offset).Take(_first).ToList(),
        "totalCount" => items.Count,
        "pageInfo" => new PageInfo(_offset + _first < items.Count, Encode(Math.Min(items.Count, _offset + _first)), _offset > 0, Encode(_offset)),
        _ => throw Unknown(field),
    };

    public static string Encode(int offset) => System.Convert.ToBase64String(Encoding.UTF8.GetBytes($"cursor:v2:{offset}"));

    private static int Decode(string? cursor)
    {
        if (cursor is null)
        {
            return 0;
        }

        var text = Encoding.UTF8.GetString(System.Convert.FromBase64String(cursor));
        return int.Parse(text["cursor:v2:".Length..], CultureInfo.InvariantCulture);
    }

    private sealed class PageInfo(bool hasNextPage, string endCursor, bool hasPreviousPage, string startCursor) : GraphObject
    {
        public override string TypeName => "PageInfo";

        public override object? Resolve(string field, Arguments args) => field switch
        {
            "hasNextPage" => hasNextPage,
            "endCursor" => endCursor,
            "hasPreviousPage" => hasPreviousPage,
            "startCursor" => startCursor,
            _ => throw Unknown(field),
        };
    }
}
