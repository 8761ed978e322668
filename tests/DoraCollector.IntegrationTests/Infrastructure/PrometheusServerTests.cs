namespace DoraCollector.IntegrationTests.Infrastructure;

/// <summary>The fixture that dashboard and alert-rule tests build on does what they rely on.</summary>
public sealed class PrometheusServerTests
{
    [Fact]
    public async Task Evaluates_the_rule_files_it_was_given_and_reloads_them()
    {
        var rules = Path.Combine(Directory.CreateTempSubdirectory("dora-test-rules-").FullName, "rules.yml");
        try
        {
            await File.WriteAllTextAsync(rules, Rules("42"));
            Assert.Equal(0, (await Promtool.CheckRulesAsync(rules)).ExitCode);
            await using var prometheus = await PrometheusServer.StartAsync([], [rules]);

            var answer = await prometheus.WaitForAsync("dora_test:answer", TimeSpan.FromSeconds(10));
            Assert.Equal(42, Assert.Single(answer).Value);

            await File.WriteAllTextAsync(rules, Rules("43"));
            await prometheus.ReloadAsync();
            await prometheus.WaitForAsync("dora_test:answer", TimeSpan.FromSeconds(10), r => r.Count == 1 && r[0].Value == 43);
            Assert.Equal(1, Assert.Single(await prometheus.QueryAsync("scalar(vector(1))")).Value);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(rules)!, recursive: true);
        }
    }

    [Fact]
    public async Task Refuses_to_start_on_an_invalid_rule_file_and_shows_why()
    {
        var rules = Path.Combine(Directory.CreateTempSubdirectory("dora-test-rules-").FullName, "rules.yml");
        try
        {
            await File.WriteAllTextAsync(rules, Rules("sum(("));

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => PrometheusServer.StartAsync([], [rules]));

            Assert.Contains("rules.yml", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(rules)!, recursive: true);
        }
    }

    private static string Rules(string expression) => $"""
        groups:
          - name: fixture
            rules:
              - record: dora_test:answer
                expr: {expression}
        """;
}
