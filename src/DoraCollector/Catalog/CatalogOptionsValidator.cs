using System.Text.RegularExpressions;
using DoraCollector.Hosting;
using DoraCollector.Sources.GitOps;
using Microsoft.Extensions.Options;

namespace DoraCollector.Catalog;

internal sealed partial class CatalogOptionsValidator : IValidateOptions<CatalogOptions>
{
    public ValidateOptionsResult Validate(string? name, CatalogOptions options)
    {
        var errors = new OptionsErrors(CatalogOptions.Section);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var seenImages = new HashSet<string>(StringComparer.Ordinal);
        ValidateServices(errors, "Services", options.Services, seen, seenImages);
        if (!string.IsNullOrWhiteSpace(options.File))
        {
            if (!System.IO.File.Exists(options.File))
            {
                errors.Add(nameof(options.File), $"'{options.File}' does not exist");
            }
            else
            {
                var (services, error) = CatalogFile.Read(options.File);
                if (error is not null)
                {
                    errors.Add(nameof(options.File), $"'{options.File}' {error}");
                }

                ValidateServices(errors, $"File({options.File}):services", services, seen, seenImages);
            }
        }

        return errors.Result;
    }

    private static void ValidateServices(OptionsErrors errors, string prefix, IReadOnlyList<CatalogService> services, HashSet<string> seen, HashSet<string> seenImages)
    {
        for (var i = 0; i < services.Count; i++)
        {
            var service = services[i];
            var key = $"{prefix}:{i}";
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
            for (var j = 0; j < service.Images.Count; j++)
            {
                var image = ImageReference.Parse(service.Images[j]);
                errors.Check(image is not null, $"{key}:Images:{j}", $"'{service.Images[j]}' is not an image name (registry/repository)");
                errors.Check(image is null || image.Tag is null && image.Digest is null, $"{key}:Images:{j}",
                    $"'{service.Images[j]}' names a tag or digest; list the image without them (every tag of it is this service's)");
                errors.Check(image is null || seenImages.Add(image.Name), $"{key}:Images:{j}", $"'{image?.Name}' is listed for two services");
            }

            errors.Check(service.Images.Count == 0 || service.Repository is not null, $"{key}:Images", "needs Repository (the images are built from it)");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")]
    internal static partial Regex RepositoryName();
}
