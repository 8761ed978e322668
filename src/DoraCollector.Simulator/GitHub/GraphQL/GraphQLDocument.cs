using System.Globalization;
using System.Text;

namespace DoraCollector.Simulator.GitHub.GraphQL;

/// <summary>
/// Just enough of a GraphQL parser for the fake GitHub to answer the collector's queries the way
/// GitHub does, from what they select: one operation with variable definitions, fields with
/// aliases, arguments and <c>@include</c>/<c>@skip</c>, inline fragments. A syntax error is an error,
/// as it is on GitHub.
/// </summary>
internal sealed class GraphQLDocument
{
    private readonly List<Token> _tokens;
    private int _at;

    private GraphQLDocument(List<Token> tokens) => _tokens = tokens;

    public string OperationName { get; private set; } = "";

    public Dictionary<string, string> VariableTypes { get; } = new(StringComparer.Ordinal);

    public List<Selection> Selections { get; private set; } = [];

    public static GraphQLDocument Parse(string text)
    {
        var document = new GraphQLDocument(Lex(text));
        document.ParseOperation();
        return document;
    }

    private void ParseOperation()
    {
        if (Peek("query"))
        {
            Next();
            if (PeekKind(TokenKind.Name))
            {
                OperationName = Next().Text;
            }

            if (Accept("("))
            {
                while (!Accept(")"))
                {
                    Expect("$");
                    var name = Expect(TokenKind.Name);
                    Expect(":");
                    var type = new StringBuilder();
                    while (!Peek(")") && !Peek("$") && !Peek("="))
                    {
                        type.Append(Next().Text);
                    }

                    if (Accept("="))
                    {
                        ParseValue();
                    }

                    VariableTypes[name] = type.ToString();
                }
            }
        }

        Selections = ParseSelectionSet();
        if (_at != _tokens.Count)
        {
            throw new GraphQLException($"Parse error on \"{_tokens[_at].Text}\": expected the end of the document");
        }
    }

    private List<Selection> ParseSelectionSet()
    {
        Expect("{");
        var selections = new List<Selection>();
        while (!Accept("}"))
        {
            if (Accept("..."))
            {
                if (!Accept("on"))
                {
                    throw new GraphQLException("Fragment spreads are not used by the collector");
                }

                var type = Expect(TokenKind.Name);
                selections.Add(new InlineFragment(type, ParseDirectives(), ParseSelectionSet()));
                continue;
            }

            var first = Expect(TokenKind.Name);
            var (alias, name) = Accept(":") ? (first, Expect(TokenKind.Name)) : (first, first);
            var arguments = new Dictionary<string, Value>(StringComparer.Ordinal);
            if (Accept("("))
            {
                while (!Accept(")"))
                {
                    var argument = Expect(TokenKind.Name);
                    Expect(":");
                    arguments[argument] = ParseValue();
                }
            }

            var directives = ParseDirectives();
            var children = Peek("{") ? ParseSelectionSet() : null;
            selections.Add(new Field(alias, name, arguments, directives, children));
        }

        return selections;
    }

    private List<Directive> ParseDirectives()
    {
        var directives = new List<Directive>();
        while (Accept("@"))
        {
            var name = Expect(TokenKind.Name);
            var arguments = new Dictionary<string, Value>(StringComparer.Ordinal);
            if (Accept("("))
            {
                while (!Accept(")"))
                {
                    var argument = Expect(TokenKind.Name);
                    Expect(":");
                    arguments[argument] = ParseValue();
                }
            }

            directives.Add(new Directive(name, arguments));
        }

        return directives;
    }

    private Value ParseValue()
    {
        if (Accept("$"))
        {
            return new VariableValue(Expect(TokenKind.Name));
        }

        if (Accept("["))
        {
            var items = new List<Value>();
            while (!Accept("]"))
            {
                items.Add(ParseValue());
            }

            return new ListValue(items);
        }

        if (Accept("{"))
        {
            var fields = new Dictionary<string, Value>(StringComparer.Ordinal);
            while (!Accept("}"))
            {
                var name = Expect(TokenKind.Name);
                Expect(":");
                fields[name] = ParseValue();
            }

            return new ObjectValue(fields);
        }

        var token = Next();
        return token.Kind switch
        {
            TokenKind.String => new ConstValue(token.Text),
            TokenKind.Number => new ConstValue(long.Parse(token.Text, CultureInfo.InvariantCulture)),
            TokenKind.Name when token.Text is "true" or "false" => new ConstValue(token.Text == "true"),
            TokenKind.Name when token.Text == "null" => new ConstValue(null),
            TokenKind.Name => new EnumValue(token.Text),
            _ => throw new GraphQLException($"Parse error on \"{token.Text}\": expected a value"),
        };
    }

    private bool Peek(string text) => _at < _tokens.Count && _tokens[_at].Text == text && _tokens[_at].Kind != TokenKind.String;

    private bool PeekKind(TokenKind kind) => _at < _tokens.Count && _tokens[_at].Kind == kind;

    private bool Accept(string text)
    {
        if (!Peek(text))
        {
            return false;
        }

        _at++;
        return true;
    }

    private Token Next() => _at < _tokens.Count ? _tokens[_at++] : throw new GraphQLException("Parse error: unexpected end of document");

    private void Expect(string text)
    {
        if (!Accept(text))
        {
            throw new GraphQLException($"Parse error on \"{(_at < _tokens.Count ? _tokens[_at].Text : "end of document")}\": expected \"{text}\"");
        }
    }

    private string Expect(TokenKind kind)
    {
        var token = Next();
        return token.Kind == kind ? token.Text : throw new GraphQLException($"Parse error on \"{token.Text}\": expected a {kind}");
    }

    private static List<Token> Lex(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c) || c == ',')
            {
                i++;
            }
            else if (c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (text.AsSpan(i).StartsWith("..."))
            {
                tokens.Add(new Token(TokenKind.Punctuator, "..."));
                i += 3;
            }
            else if ("!$():=@[]{}|".Contains(c, StringComparison.Ordinal))
            {
                tokens.Add(new Token(TokenKind.Punctuator, c.ToString()));
                i++;
            }
            else if (c == '"')
            {
                var value = new StringBuilder();
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    value.Append(text[i++]);
                }

                i++;
                tokens.Add(new Token(TokenKind.String, value.ToString()));
            }
            else if (char.IsDigit(c) || c == '-')
            {
                var start = i++;
                while (i < text.Length && char.IsDigit(text[i]))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Number, text[start..i]));
            }
            else if (char.IsLetter(c) || c == '_')
            {
                var start = i;
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Name, text[start..i]));
            }
            else
            {
                throw new GraphQLException($"Parse error: unexpected character '{c}'");
            }
        }

        return tokens;
    }

    private enum TokenKind
    {
        Name,
        Punctuator,
        String,
        Number,
    }

    private sealed record Token(TokenKind Kind, string Text);
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
