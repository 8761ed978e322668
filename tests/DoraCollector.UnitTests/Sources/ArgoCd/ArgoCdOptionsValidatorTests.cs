using DoraCollector.Sources.ArgoCd;

namespace DoraCollector.UnitTests.Sources.ArgoCd;

public sealed class ArgoCdOptionsValidatorTests
{
    [Fact]
    public void Each_problem_is_one_line_naming_the_full_key()
    {
        var result = new ArgoCdOptionsValidator().Validate(null, new ArgoCdOptions
        {
            WebhookToken = "short",
            Namespaces = ["argocd"],
            EnvironmentRules = [new ArgoCdEnvironmentRule { Cluster = "(", Environment = "" }, new ArgoCdEnvironmentRule { Environment = "x" }],
        });

        Assert.Equal(
        [
            "Dora:ArgoCd:WebhookToken: is shorter than 16 characters",
            "Dora:ArgoCd:Namespaces: applies to the Kubernetes API only (UseKubernetesApi)",
            "Dora:ArgoCd:EnvironmentRules:0:Environment: is required",
            "Dora:ArgoCd:EnvironmentRules:1: needs at least one of Cluster, Namespace, Project, Name",
        ], result.Failures!.Where(f => !f.Contains("regular expression", StringComparison.Ordinal)));
        Assert.Contains(result.Failures!, f => f.StartsWith("Dora:ArgoCd:EnvironmentRules:0:Cluster: '(' is not a valid regular expression", StringComparison.Ordinal));
    }
}
