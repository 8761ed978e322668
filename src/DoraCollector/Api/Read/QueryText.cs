using System.Text;

namespace DoraCollector.Api.Read;

/// <summary>
/// Refuses, with a problem naming the parameter, text no reader should see: percent-encoded bytes
/// that are not UTF-8 (which the server would turn into U+FFFD), lone surrogates, and NUL (which
/// PostgreSQL refuses in text). Checks every query parameter from the raw query string, and every
/// route value, of the read API and the reports.
/// </summary>
internal sealed class QueryText : IEndpointFilter
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var reader = new QueryReader();
        Check(context.HttpContext.Request, reader);
        return reader.Problems.Any ? ValueTask.FromResult<object?>(reader.Problems.QueryProblem()) : next(context);
    }

    /// <summary>Adds a message to <paramref name="reader"/> for each parameter that is not clean text.</summary>
    public static void Check(HttpRequest request, QueryReader reader)
    {
        var query = request.QueryString.Value ?? "";
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var rawName = equals < 0 ? pair : pair[..equals];
            if (Decode(rawName) is not { } decodedName || Problem(decodedName) is not null)
            {
                reader.Problems.Add(rawName, $"the parameter name '{rawName}' is not valid text");
                continue;
            }

            var text = equals < 0 ? "" : Decode(pair[(equals + 1)..]);
            if ((text is null ? "is not UTF-8 text (percent-encoded bytes that are not UTF-8)" : Problem(text)) is { } problem)
            {
                reader.Problems.Add(decodedName, $"{decodedName} {problem}");
            }
        }

        foreach (var (name, value) in request.RouteValues)
        {
            if (value is string text && (text.Contains('\uFFFD', StringComparison.Ordinal) ? "is not UTF-8 text" : Problem(text)) is { } problem)
            {
                reader.Problems.Add(name, $"{name} {problem}");
            }
        }
    }

    /// <summary>What is wrong with decoded text: a NUL or a lone surrogate; null when nothing is.</summary>
    public static string? Problem(string text)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return "must not contain NUL (%00)";
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return "holds a lone surrogate, which is not text";
            }
        }

        return null;
    }

    // A query component decoded as browsers and servers do ('+' is a space, %XX a byte), but
    // strictly: null when the bytes are not UTF-8.
    private static string? Decode(string component)
    {
        var bytes = new List<byte>(component.Length);
        for (var i = 0; i < component.Length; i++)
        {
            var c = component[i];
            if (c == '%' && i + 2 < component.Length && Uri.IsHexDigit(component[i + 1]) && Uri.IsHexDigit(component[i + 2]))
            {
                bytes.Add((byte)((Uri.FromHex(component[i + 1]) << 4) | Uri.FromHex(component[i + 2])));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(c == '+' ? " " : c.ToString()));
            }
        }

        try
        {
            return Strict.GetString([.. bytes]);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
