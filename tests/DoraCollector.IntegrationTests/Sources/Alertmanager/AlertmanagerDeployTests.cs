using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Sources.Alertmanager;
using YamlDotNet.RepresentationModel;

namespace DoraCollector.IntegrationTests.Sources.Alertmanager;

/// <summary>
/// The receiver snippets in <c>deploy/alertmanager/</c>: Alertmanager accepts the plain one, and
/// both send exactly the alerts the collector's default matchers let through, to its webhook.
/// (The end-to-end tests run the plain one in a real Alertmanager.)
/// </summary>
public sealed class AlertmanagerDeployTests
{
    [Fact]
    public async Task Amtool_accepts_the_plain_receiver_configuration()
    {
        var (exitCode, output) = await Amtool.RunAsync("check-config", ShippedReceiver.PathOf(ShippedReceiver.ConfigPath));

        Assert.True(exitCode == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_plain_route_matches_what_the_collector_counts_and_continues()
    {
        var route = ((YamlSequenceNode)Load(ShippedReceiver.ConfigPath)["route"]["routes"]).Children
            .Single(r => Text(r["receiver"]) == "dora-collector");

        Assert.Equal(DefaultMatchers(), Canonical(((YamlSequenceNode)route["matchers"]).Children.Select(Text)));
        Assert.Equal("true", Text(route["continue"]));
        Assert.Equal("...", Text(((YamlSequenceNode)route["group_by"]).Children.Single()));
    }

    [Fact]
    public void The_custom_resource_matches_the_plain_receiver()
    {
        var resource = Load(ShippedReceiver.CustomResourcePath);
        var spec = resource["spec"];
        var matchers = ((YamlSequenceNode)spec["route"]["matchers"]).Children
            .Select(m => $"{Text(m["name"])}{Text(m["matchType"])}\"{Text(m["value"])}\"");
        var webhook = ((YamlSequenceNode)((YamlSequenceNode)spec["receivers"]).Children.Single()["webhookConfigs"]).Children.Single();

        Assert.Equal(("monitoring.coreos.com/v1alpha1", "AlertmanagerConfig"), (Text(resource["apiVersion"]), Text(resource["kind"])));
        Assert.Equal(DefaultMatchers(), Canonical(matchers));
        Assert.Equal(Text(spec["route"]["receiver"]), Text(((YamlSequenceNode)spec["receivers"]).Children.Single()["name"]));
        Assert.Equal(PlainWebhookUrl(), Text(webhook["url"]));
        Assert.EndsWith(AlertmanagerWebhookEndpoint.Path, Text(webhook["url"]), StringComparison.Ordinal);
        Assert.Equal("true", Text(webhook["sendResolved"]));
        Assert.Equal("Bearer", Text(webhook["httpConfig"]["authorization"]["type"]));
        Assert.Equal("token", Text(webhook["httpConfig"]["authorization"]["credentials"]["key"]));
    }

    private static string PlainWebhookUrl()
    {
        var receiver = ((YamlSequenceNode)Load(ShippedReceiver.ConfigPath)["receivers"]).Children.Single(r => Text(r["name"]) == "dora-collector");
        var webhook = ((YamlSequenceNode)receiver["webhook_configs"]).Children.Single();
        Assert.Equal("true", Text(webhook["send_resolved"]));
        return Text(webhook["url"]);
    }

    private static List<string> DefaultMatchers() => Canonical(AlertmanagerOptions.DefaultMatchers);

    private static List<string> Canonical(IEnumerable<string> matchers) =>
        matchers.SelectMany(LabelMatcherParser.Parse).Select(m => m.ToString()).ToList();

    private static YamlMappingNode Load(string path)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(ShippedReceiver.PathOf(path));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents.Single().RootNode;
    }

    private static string Text(YamlNode node) => ((YamlScalarNode)node).Value ?? "";
}
