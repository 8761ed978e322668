namespace DoraCollector.Hosting;

/// <summary>
/// Splits a verb's own options (<c>--name value</c>, <c>--name=value</c>, and <c>--flag</c>s) from
/// the rest of the command line, which is configuration for the host (<c>--Dora:Key value</c>,
/// <c>--urls</c>).
/// </summary>
internal static class VerbArguments
{
    public static bool TryParse(
        string[] args,
        IReadOnlyCollection<string> options,
        IReadOnlyCollection<string> flags,
        out Dictionary<string, string> values,
        out List<string> configuration,
        out string? problem)
    {
        values = new Dictionary<string, string>(StringComparer.Ordinal);
        configuration = [];
        problem = null;
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var name = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : null;
            var inline = name?.IndexOf('=', StringComparison.Ordinal) ?? -1;
            var option = inline >= 0 ? name![..inline] : name;
            var isFlag = option is not null && flags.Contains(option);
            if (option is null || !(isFlag || options.Contains(option)))
            {
                configuration.Add(arg);
                continue;
            }

            string value;
            if (isFlag)
            {
                if (inline >= 0)
                {
                    problem = $"--{option} takes no value";
                    return false;
                }

                value = "true";
            }
            else if (inline >= 0)
            {
                value = name![(inline + 1)..];
            }
            else if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }
            else
            {
                problem = $"--{option} needs a value";
                return false;
            }

            if (!values.TryAdd(option, value))
            {
                problem = $"--{option} is given twice";
                return false;
            }
        }

        return true;
    }
}
