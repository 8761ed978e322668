using DoraCollector.Hosting;
using Microsoft.Extensions.Options;

namespace DoraCollector.Sources.ArgoCd;

internal sealed class ArgoCdOptionsValidator : IValidateOptions<ArgoCdOptions>
{
    public ValidateOptionsResult Validate(string? name, ArgoCdOptions options)
    {
        var errors = new OptionsErrors(ArgoCdOptions.Section);
        errors.CheckUrl(options.ServerUrl, nameof(options.ServerUrl));
        errors.Check(string.IsNullOrWhiteSpace(options.ServerUrl) || !string.IsNullOrWhiteSpace(options.Token), nameof(options.Token),
            "is required with ServerUrl (or TokenFile)");
        errors.Check(!(options.UseKubernetesApi && !string.IsNullOrWhiteSpace(options.ServerUrl)), nameof(options.UseKubernetesApi),
            "reads applications from Kubernetes; remove ServerUrl or set UseKubernetesApi to false");
        errors.Check(options.PollInterval >= TimeSpan.FromSeconds(10), nameof(options.PollInterval), "must be at least 10s");
        return errors.Result;
    }
}
