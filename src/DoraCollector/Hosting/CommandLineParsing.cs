using System.CommandLine;

namespace DoraCollector.Hosting;

/// <summary>The conventions every executable's command line shares (the service's verbs and the demo).</summary>
internal static class CommandLineParsing
{
    /// <summary>
    /// Parses <paramref name="args"/> with System.CommandLine: <c>--name value</c> and
    /// <c>--name=value</c> alike, <c>--help</c>; tokens the command does not know are not errors but
    /// the host's configuration (<c>--Dora:Metrics:AttributionWindow 24h</c>, <c>--urls</c>), in
    /// <see cref="ParseResult.UnmatchedTokens"/>. No response files: an <c>@</c> is a value.
    /// </summary>
    public static ParseResult Parse(Command command, IReadOnlyList<string> args)
    {
        command.TreatUnmatchedTokensAsErrors = false;
        return command.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
    }
}
