using System.Globalization;
using GraphQLParser;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;

namespace DoraCollector.Simulator.GitHub.GraphQL;

/// <summary>
/// A query the fake GitHub answers the way GitHub does, from what it selects. GraphQL-Parser reads
/// the whole language (a syntax error is an error, as it is on GitHub); this keeps what the
/// executor needs: the operation's name and variable types, fields with aliases, arguments and
/// <c>@include</c>/<c>@skip</c>, and inline fragments. The collector sends no named fragments.
/// </summary>
internal sealed class GraphQLDocument
{
    private GraphQLDocument(string operationName, Dictionary<string, string> variableTypes, List<Selection> selections)
    {
        OperationName = operationName;
        VariableTypes = variableTypes;
        Selections = selections;
    }

    public string OperationName { get; }

    public Dictionary<string, string> VariableTypes { get; }

    public List<Selection> Selections { get; }

    public static GraphQLDocument Parse(string text)
    {
        GraphQLParser.AST.GraphQLDocument document;
        try
        {
            document = Parser.Parse(text);
        }
        catch (GraphQLSyntaxErrorException e)
        {
            throw new GraphQLException($"Parse error: {e.Description} ({e.Location.Line}:{e.Location.Column})");
        }

        if (document.Definitions is not [GraphQLOperationDefinition { Operation: OperationType.Query } operation])
        {
            throw new GraphQLException("Send exactly one query operation and no fragment definitions");
        }

        var variables = (operation.Variables?.Items ?? []).ToDictionary(
            v => v.Variable.Name.StringValue, v => TypeName(v.Type), StringComparer.Ordinal);
        return new GraphQLDocument(operation.Name?.StringValue ?? "", variables, SelectionsOf(operation.SelectionSet));
    }

    private static List<Selection> SelectionsOf(GraphQLSelectionSet set) => set.Selections.Select(SelectionOf).ToList();

    private static Selection SelectionOf(ASTNode node) => node switch
    {
        GraphQLField f => new Field(
            f.Alias?.Name.StringValue ?? f.Name.StringValue,
            f.Name.StringValue,
            Arguments(f.Arguments?.Items),
            Directives(f.Directives),
            f.SelectionSet is { } children ? SelectionsOf(children) : null),
        GraphQLInlineFragment { TypeCondition: { } on } i => new InlineFragment(on.Type.Name.StringValue, Directives(i.Directives), SelectionsOf(i.SelectionSet)),
        _ => throw new GraphQLException("Fragment spreads and untyped inline fragments are not used by the collector"),
    };

    private static List<Directive> Directives(GraphQLDirectives? directives) =>
        (directives?.Items ?? []).Select(d => new Directive(d.Name.StringValue, Arguments(d.Arguments?.Items))).ToList();

    private static Dictionary<string, Value> Arguments(List<GraphQLArgument>? arguments) =>
        (arguments ?? []).ToDictionary(a => a.Name.StringValue, a => ValueOf(a.Value), StringComparer.Ordinal);

    private static Value ValueOf(GraphQLValue value) => value switch
    {
        GraphQLVariable v => new VariableValue(v.Name.StringValue),
        GraphQLListValue l => new ListValue((l.Values ?? []).Select(ValueOf).ToList()),
        GraphQLObjectValue o => new ObjectValue((o.Fields ?? []).ToDictionary(f => f.Name.StringValue, f => ValueOf(f.Value), StringComparer.Ordinal)),
        GraphQLStringValue s => new ConstValue(s.Value.ToString()),
        GraphQLIntValue i => new ConstValue(long.Parse(i.Value.Span, CultureInfo.InvariantCulture)),
        GraphQLBooleanValue b => new ConstValue(b.BoolValue),
        GraphQLNullValue => new ConstValue(null),
        GraphQLEnumValue e => new EnumValue(e.Name.StringValue),
        _ => throw new GraphQLException($"Values of kind {value.Kind} are not used by the collector"),
    };

    private static string TypeName(GraphQLType type) => type switch
    {
        GraphQLNonNullType n => TypeName(n.Type) + "!",
        GraphQLListType l => "[" + TypeName(l.Type) + "]",
        GraphQLNamedType named => named.Name.StringValue,
        _ => throw new GraphQLException($"Unknown type {type.Kind}"),
    };
}

internal abstract record Selection;

internal sealed record Field(
    string Alias, string Name, Dictionary<string, Value> Arguments, List<Directive> Directives, List<Selection>? Selections) : Selection;

internal sealed record InlineFragment(string TypeCondition, List<Directive> Directives, List<Selection> Selections) : Selection;

internal sealed record Directive(string Name, Dictionary<string, Value> Arguments);

internal abstract record Value;

internal sealed record VariableValue(string Name) : Value;

internal sealed record ConstValue(object? Value) : Value;

internal sealed record EnumValue(string Name) : Value;

internal sealed record ListValue(List<Value> Items) : Value;

internal sealed record ObjectValue(Dictionary<string, Value> Fields) : Value;

internal sealed class GraphQLException(string message) : Exception(message);
