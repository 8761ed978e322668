using System.Text.Json.Nodes;
using DoraCollector.Sources.ArgoCd;

namespace DoraCollector.UnitTests.Sources.ArgoCd;

public sealed class ArgoCdRolloutsTests
{
    private const string Sha = "ea8759964626a583667a2bfd08f334ec2070040a";

    private static JsonObject RealApplication() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "argocd", "application.diff-cache.json")))!.AsObject();

    private static IReadOnlyList<ArgoRollout> Rollouts(JsonObject app) =>
        ArgoCdRollouts.Of(ArgoCdSnapshot.Read(app.ToJsonString()), sources => ArgoCdSourceChoice.Index(sources, null));

    [Fact]
    public void Every_history_entry_of_a_real_application_is_a_successful_rollout_keyed_by_its_operation_start()
    {
        var rollouts = Rollouts(RealApplication());

        Assert.Equal(10, rollouts.Count);
        Assert.All(rollouts, r => Assert.True(r.Succeeded && r.Revision == Sha));
        Assert.Equal("argo-cd/velero-test@2024-03-04T22:00:05Z", rollouts[0].ExternalId);
        Assert.Equal((new DateTimeOffset(2024, 3, 4, 22, 0, 5, TimeSpan.Zero), new DateTimeOffset(2024, 3, 4, 22, 0, 6, TimeSpan.Zero)),
            (rollouts[0].StartedAt!.Value, rollouts[0].FinishedAt));
        Assert.Equal("https://github.com/foo/manifests-velero.git", rollouts[0].Source!.RepoUrl);

        // The succeeded operation is the last entry's (same start), not a rollout of its own.
        var last = rollouts[^1];
        Assert.Equal(("argo-cd/velero-test@2024-03-05T07:33:03Z", true, 23L), (last.ExternalId, last.IsCurrentOperation, last.HistoryId!.Value));
        Assert.Equal("foo@example.com", last.InitiatedBy!.Username);
        Assert.False(last.RollbackHint);
        Assert.DoesNotContain(rollouts.Take(rollouts.Count - 1), r => r.IsCurrentOperation);
    }

    [Fact]
    public void A_failed_operation_is_a_failed_rollout_of_the_revision_it_rendered()
    {
        var app = RealApplication();
        var state = app["status"]!["operationState"]!.AsObject();
        state["phase"] = "Failed";
        state["message"] = "one or more objects failed to apply";
        state["startedAt"] = "2024-03-05T08:00:00Z";
        state["finishedAt"] = "2024-03-05T08:00:30Z";
        state["syncResult"]!["revision"] = "1111111111111111111111111111111111111111";

        var failed = Rollouts(app).Single(r => !r.Succeeded);

        Assert.Equal(("argo-cd/velero-test@2024-03-05T08:00:00Z", "1111111111111111111111111111111111111111"), (failed.ExternalId, failed.Revision));
        Assert.Equal(new DateTimeOffset(2024, 3, 5, 8, 0, 30, TimeSpan.Zero), failed.FinishedAt);
        Assert.Equal("one or more objects failed to apply", failed.Message);
    }

    [Fact]
    public void A_failed_operation_without_a_sync_result_takes_the_revision_it_was_asked_for()
    {
        var app = RealApplication();
        var state = app["status"]!["operationState"]!.AsObject();
        state["phase"] = "Error";
        state["startedAt"] = "2024-03-05T08:00:00Z";
        state.Remove("finishedAt");
        state.Remove("syncResult");
        state["operation"]!["sync"]!["revision"] = "2222222222222222222222222222222222222222";

        var failed = Rollouts(app).Single(r => !r.Succeeded);

        Assert.Equal("2222222222222222222222222222222222222222", failed.Revision);
        Assert.Equal(failed.StartedAt, failed.FinishedAt);
    }

    [Fact]
    public void Partial_running_and_dry_run_operations_are_no_rollouts()
    {
        var partial = RealApplication();
        var state = partial["status"]!["operationState"]!.AsObject();
        state["startedAt"] = "2024-03-05T09:00:00Z";
        state["operation"]!["sync"]!["resources"] = new JsonArray(new JsonObject { ["kind"] = "Deployment", ["name"] = "test-lla" });
        Assert.Equal(10, Rollouts(partial).Count);

        var running = RealApplication();
        running["status"]!["operationState"]!["phase"] = "Running";
        running["status"]!["operationState"]!["startedAt"] = "2024-03-05T09:00:00Z";
        Assert.Equal(10, Rollouts(running).Count);

        var dryRun = RealApplication();
        dryRun["status"]!["operationState"]!["phase"] = "Failed";
        dryRun["status"]!["operationState"]!["startedAt"] = "2024-03-05T09:00:00Z";
        dryRun["status"]!["operationState"]!["operation"]!["sync"]!["dryRun"] = true;
        Assert.DoesNotContain(Rollouts(dryRun), r => !r.Succeeded);
    }

    [Fact]
    public void Without_history_in_the_payload_a_succeeded_whole_application_sync_is_the_rollout()
    {
        var app = RealApplication();
        app["status"]!.AsObject().Remove("history");

        var rollout = Rollouts(app).Single();

        Assert.Equal(("argo-cd/velero-test@2024-03-05T07:33:03Z", true, Sha), (rollout.ExternalId, rollout.Succeeded, rollout.Revision));
        Assert.Equal(new DateTimeOffset(2024, 3, 5, 7, 33, 4, TimeSpan.Zero), rollout.FinishedAt);
    }

    [Fact]
    public void Argo_cds_rollback_operation_marks_its_history_entry_as_a_rollback()
    {
        var app = RealApplication();
        app["status"]!["operationState"]!["operation"]!["sync"]!["source"] = new JsonObject
        {
            ["repoURL"] = "https://github.com/foo/manifests-velero.git", ["path"] = "instances/test", ["targetRevision"] = "test-lla",
        };

        var rollouts = Rollouts(app);

        Assert.True(rollouts[^1].RollbackHint);
        Assert.DoesNotContain(rollouts.Take(rollouts.Count - 1), r => r.RollbackHint);
    }

    [Fact]
    public void A_multi_source_rollout_takes_the_revision_of_the_chosen_source()
    {
        var app = ArgoCdSnapshot.Read("""
            {"metadata": {"name": "checkout", "namespace": "argocd"},
             "spec": {"sources": [
                {"repoURL": "https://charts.example.com", "chart": "checkout", "targetRevision": "1.4.0"},
                {"repoURL": "https://github.com/acme/shop.git", "path": "services/checkout/deploy", "targetRevision": "main"},
                {"repoURL": "git@github.com:acme/config.git", "targetRevision": "main", "ref": "values"}]},
             "status": {"history": [{"id": 3, "deployStartedAt": "2026-01-05T10:00:00Z", "deployedAt": "2026-01-05T10:01:00Z",
                "revisions": ["1.4.0", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"]}]}}
            """);

        var discovered = ArgoCdRollouts.Of(app, sources => ArgoCdSourceChoice.Index(sources, null)).Single();
        var catalogued = ArgoCdRollouts.Of(app, sources => ArgoCdSourceChoice.Index(sources, "acme/config")).Single();

        Assert.Equal(("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "services/checkout/deploy"), (discovered.Revision, discovered.Source!.Path));
        Assert.Equal("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", catalogued.Revision);
    }

    [Fact]
    public void A_helm_chart_rollout_is_a_chart_version()
    {
        var app = ArgoCdSnapshot.Read("""
            {"metadata": {"name": "ingress"},
             "spec": {"source": {"repoURL": "https://kubernetes.github.io/ingress-nginx", "chart": "ingress-nginx", "targetRevision": "4.10.1"}},
             "status": {"history": [{"id": 0, "revision": "4.10.1", "deployStartedAt": "2026-01-05T10:00:00Z", "deployedAt": "2026-01-05T10:01:00Z",
                "source": {"repoURL": "https://kubernetes.github.io/ingress-nginx", "chart": "ingress-nginx", "targetRevision": "4.10.1"}}]}}
            """);

        var rollout = ArgoCdRollouts.Of(app, sources => ArgoCdSourceChoice.Index(sources, null)).Single();

        Assert.Equal(("ingress@2026-01-05T10:00:00Z", "4.10.1"), (rollout.ExternalId, rollout.Revision));
        Assert.False(RepositoryUrls.IsGit(rollout.Source!));
    }

    [Fact]
    public void The_snapshot_leaves_out_what_changes_while_nothing_is_rolled_out()
    {
        var app = RealApplication();
        var (key, json) = ArgoCdSnapshot.Of(ArgoCdSnapshot.Read(app.ToJsonString()));
        app["status"]!["reconciledAt"] = "2024-03-05T09:00:00Z";
        app["status"]!["health"]!["status"] = "Progressing";
        app["status"]!["sync"]!["revision"] = "3333333333333333333333333333333333333333";
        app["metadata"]!["resourceVersion"] = "722811999";

        var (again, _) = ArgoCdSnapshot.Of(ArgoCdSnapshot.Read(app.ToJsonString()));

        Assert.Equal(key, again);
        Assert.StartsWith("argo-cd/velero-test#", key);
        Assert.DoesNotContain("resources", json);
        Assert.DoesNotContain("HELM_VALUES", json);
        Assert.Contains("\"repoURL\":\"https://github.com/foo/manifests-velero.git\"", json);
    }
}
