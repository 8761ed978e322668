using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace DoraCollector.Hosting;

/// <summary>
/// Validates every options section before anything starts and turns each problem into one line
/// that names the configuration key, for <c>serve</c>, <c>migrate</c> and <c>check-config</c> alike.
/// </summary>
internal static partial class StartupValidation
{
    public static IReadOnlyList<string> Validate(IServiceProvider services)
    {
        var errors = new List<string>(services.GetRequiredService<SecretFileConfigurationSource>().Errors);
        var configuration = services.GetRequiredService<IConfiguration>();

        // Each section on its own, so one unreadable value does not hide the problems of the others.
        foreach (var options in services.GetServices<ValidatedOptions>())
        {
            var accessor = services.GetRequiredService(typeof(IOptions<>).MakeGenericType(options.OptionsType));
            try
            {
                _ = accessor.GetType().GetProperty(nameof(IOptions<object>.Value))!.GetValue(accessor);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                errors.AddRange(Describe(e.InnerException, configuration));
            }
        }

        return errors;
    }

    /// <summary>Writes the problems to <paramref name="writer"/>; true when there were none.</summary>
    public static bool Report(IServiceProvider services, TextWriter writer)
    {
        var errors = Validate(services);
        foreach (var error in errors)
        {
            writer.WriteLine($"error: {error}");
        }

        return errors.Count == 0;
    }

    private static IEnumerable<string> Describe(Exception e, IConfiguration configuration) => e switch
    {
        AggregateException many => many.InnerExceptions.SelectMany(inner => Describe(inner, configuration)),
        OptionsValidationException invalid => invalid.Failures,
        InvalidOperationException binding when BindingFailure().Match(binding.Message) is { Success: true } match =>
            [DescribeBindingFailure(match.Groups["key"].Value, match.Groups["type"].Value, configuration)],
        _ => [e.Message],
    };

    private static string DescribeBindingFailure(string key, string type, IConfiguration configuration)
    {
        var expected = type switch
        {
            "System.TimeSpan" => Duration.Help,
            "System.Boolean" => "use true or false",
            "System.Int32" or "System.Int64" => "use a whole number",
            "System.Double" => "use a number",
            _ when type.StartsWith("DoraCollector.", StringComparison.Ordinal) && Type.GetType(type) is { IsEnum: true } enumType =>
                $"use one of {string.Join(", ", Enum.GetNames(enumType))}",
            _ => $"expected {type}",
        };
        return $"{key}: '{configuration[key]}' is not valid ({expected})";
    }

    [GeneratedRegex("at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex BindingFailure();
}
