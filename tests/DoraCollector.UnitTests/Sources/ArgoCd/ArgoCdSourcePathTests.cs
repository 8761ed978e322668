using System.Text.Json.Nodes;
using DoraCollector.Sources.ArgoCd;

namespace DoraCollector.UnitTests.Sources.ArgoCd;

/// <summary>
/// The folder an Argo CD rollout deployed: the <c>path</c> of the source it synced, as the history
/// entry records it (<c>source</c>, or <c>sources</c> of a multi-source Application), normalised.
/// </summary>
public sealed class ArgoCdSourcePathTests
{
    private const string GitOpsSha = "ea8759964626a583667a2bfd08f334ec2070040a";
    private const string OtherSha = "1111111111111111111111111111111111111111";

    [Fact]
    public void A_history_entry_deployed_the_path_of_its_own_source_not_the_one_the_spec_names_now()
    {
        var app = Application(new JsonObject { ["repoURL"] = "https://github.com/acme/gitops.git", ["path"] = "apps/checkout/production-eu/" });
        app["status"]!["history"] = new JsonArray(Entry(1, GitOpsSha, source: new JsonObject
        {
            ["repoURL"] = "https://github.com/acme/gitops.git", ["path"] = "./apps/checkout/production/",
        }));

        var rollout = Assert.Single(Rollouts(app));

        Assert.Equal("apps/checkout/production", ArgoCdMapper.SourcePath(rollout.Source));
    }

    [Fact]
    public void A_multi_source_rollout_deployed_the_path_of_the_git_source_it_synced_and_a_chart_source_has_none()
    {
        var chart = new JsonObject { ["repoURL"] = "https://charts.example.com", ["chart"] = "checkout", ["targetRevision"] = "1.2.0" };
        var values = new JsonObject { ["repoURL"] = "https://github.com/acme/values.git", ["ref"] = "values" };
        var manifests = new JsonObject { ["repoURL"] = "https://github.com/acme/gitops.git", ["path"] = "apps/checkout/staging" };
        var app = Application(null, new JsonArray(chart, values, manifests));
        app["status"]!["history"] = new JsonArray(Entry(1, null, revisions: new JsonArray("1.2.0", OtherSha, GitOpsSha),
            sources: new JsonArray(chart.DeepClone(), values.DeepClone(), manifests.DeepClone())));

        var rollout = Assert.Single(Rollouts(app));

        Assert.Equal((GitOpsSha, "apps/checkout/staging"), (rollout.Revision, ArgoCdMapper.SourcePath(rollout.Source)));
        Assert.Null(ArgoCdMapper.SourcePath(new ArgoSource("https://charts.example.com", null, "1.2.0", "checkout", null, null)));
        Assert.Null(ArgoCdMapper.SourcePath(new ArgoSource("https://github.com/acme/gitops.git", ".", "HEAD", null, null, null)));
    }

    private static IReadOnlyList<ArgoRollout> Rollouts(JsonObject app) =>
        ArgoCdRollouts.Of(ArgoCdSnapshot.Read(app.ToJsonString()), sources => ArgoCdSourceChoice.Index(sources, null));

    private static JsonObject Application(JsonObject? source, JsonArray? sources = null)
    {
        var spec = new JsonObject { ["project"] = "default" };
        if (source is not null)
        {
            spec["source"] = source;
        }

        if (sources is not null)
        {
            spec["sources"] = sources;
        }

        return new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "checkout-production", ["namespace"] = "argocd" },
            ["spec"] = spec,
            ["status"] = new JsonObject(),
        };
    }

    private static JsonObject Entry(long id, string? revision, JsonObject? source = null, JsonArray? revisions = null, JsonArray? sources = null)
    {
        var entry = new JsonObject
        {
            ["id"] = id,
            ["deployStartedAt"] = "2026-03-10T11:00:00Z",
            ["deployedAt"] = "2026-03-10T11:01:00Z",
        };
        if (revision is not null)
        {
            entry["revision"] = revision;
        }

        if (source is not null)
        {
            entry["source"] = source;
        }

        if (revisions is not null)
        {
            entry["revisions"] = revisions;
        }

        if (sources is not null)
        {
            entry["sources"] = sources;
        }

        return entry;
    }
}
