using System.Text.RegularExpressions;
using DoraCollector.Hosting;
using Microsoft.Extensions.Options;

namespace DoraCollector.Catalog;

internal sealed partial class CatalogOptionsValidator : IValidateOptions<CatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, CatalogOptions options)
    {
        var errors = new OptionsErrors(CatalogOptions.Section);
        if (!string.IsNullOrWhiteSpace(options.File))
        {
            errors.Check(System.IO.File.Exists(options.File), nameof(options.File), $"'{options.File}' does not exist");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Services.Count; i++)
        {
            var service = options.Services[i];
            var key = $"Services:{i}";
            if (string.IsNullOrWhiteSpace(service.Name))
            {
                errors.Add($"{key}:Name", "is required");
                continue;
            }

            errors.Check(seen.Add(service.Name), $"{key}:Name", $"'{service.Name}' is listed twice");
            errors.Check(service.Repository is null || RepositoryName().IsMatch(service.Repository), $"{key}:Repository",
                $"'{service.Repository}' is not owner/name");
            errors.Check(service.Path is null || !service.Path.StartsWith('/'), $"{key}:Path", "is relative to the repository root; drop the leading /");
            errors.Check(service.Path is null || service.Repository is not null, $"{key}:Path", "needs Repository");
        }

        return errors.Result;
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")]
    internal static partial Regex RepositoryName();
}
