using DoraCollector.Hosting;
using Microsoft.Extensions.Options;

namespace DoraCollector.Reports;

internal sealed class ReportOptionsValidator : IValidateOptions<ReportOptions>
{
    public ValidateOptionsResult Validate(string? name, ReportOptions options)
    {
        var errors = new OptionsErrors(ReportOptions.Section);
        errors.CheckPositive(options.StaleAfter, nameof(options.StaleAfter));
        errors.Check(options.SlowestChanges is >= 1 and <= 100, nameof(options.SlowestChanges), "must be between 1 and 100");
        errors.Check(options.MaxRows is >= 1 and <= 1000, nameof(options.MaxRows), "must be between 1 and 1000");
        return errors.Result;
    }
}
