using System.Text.RegularExpressions;
using DoraCollector.Hosting;
using DoraCollector.Metrics;
using Microsoft.Extensions.Options;

namespace DoraCollector.Exposition;

internal sealed class PublishOptionsValidator(IOptions<MetricsOptions> metrics) : IValidateOptions<PublishOptions>
{
    public ValidateOptionsResult Validate(string? name, PublishOptions options)
    {
        var errors = new OptionsErrors(PublishOptions.Section);
        CheckAll(errors, nameof(options.Scopes), options.Scopes, PublishPolicy.AllScopes, allowEmpty: false);
        CheckAll(errors, nameof(options.LevelScopes), options.LevelScopes, PublishPolicy.AllScopes, allowEmpty: true);
        if (options.Windows is not null && ConfiguredWindows() is { } windows)
        {
            CheckAll(errors, nameof(options.Windows), options.Windows, windows, allowEmpty: false);
        }
        CheckAll(errors, nameof(options.Quantiles), options.Quantiles, PublishPolicy.AllQuantiles, allowEmpty: false);
        CheckAll(errors, nameof(options.BreakdownQuantiles), options.BreakdownQuantiles, PublishPolicy.AllQuantiles, allowEmpty: true);
        if (!string.IsNullOrEmpty(options.Environments))
        {
            try
            {
                _ = new Regex(options.Environments, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                errors.Add(nameof(options.Environments), $"is not a valid regular expression ({e.Message})");
            }
        }

        return errors.Result;
    }

    /// <summary>The windows of <c>Dora:Metrics</c>, or null when that section is invalid (its own validator says why).</summary>
    private IReadOnlyList<string>? ConfiguredWindows()
    {
        try
        {
            return metrics.Value.EffectiveWindows;
        }
        catch (OptionsValidationException)
        {
            return null;
        }
    }

    private static void CheckAll(OptionsErrors errors, string key, List<string>? values, IReadOnlyList<string> allowed, bool allowEmpty)
    {
        if (values is null)
        {
            return;
        }

        errors.Check(allowEmpty || values.Count > 0, key, $"is empty; list at least one of {string.Join(", ", allowed)}");
        for (var i = 0; i < values.Count; i++)
        {
            errors.Check(allowed.Contains(values[i], StringComparer.Ordinal), $"{key}:{i}",
                $"'{values[i]}' is not one of {string.Join(", ", allowed)}");
        }
    }
}
