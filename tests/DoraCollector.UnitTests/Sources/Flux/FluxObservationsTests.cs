using System.Text.Json;
using DoraCollector.Sources.Flux;

namespace DoraCollector.UnitTests.Sources.Flux;

public sealed class FluxObservationsTests
{
    private const string Sha = "731f7eaddfb6af01cb2173e18f0f75b0ba780ef1";

    private static FluxEvent Payload(string file) => JsonSerializer.Deserialize<FluxEvent>(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Payloads", "flux", file)), FluxMapper.Json)!;

    [Theory]
    [InlineData("event.kustomization-error.events-md.json")]
    [InlineData("event.kustomization-error.providers-md-generic.json")]
    public void The_documented_error_event_is_a_failed_rollout_of_its_legacy_revision(string file)
    {
        var observed = FluxObservations.Of(Payload(file))!;

        Assert.Equal(("Kustomization/apps/webapp", Sha, false), (observed.Object, observed.Revision, observed.Succeeded));
        Assert.Equal(new DateTimeOffset(2022, 10, 28, 7, 26, 19, TimeSpan.Zero), observed.At);
        Assert.Equal("ValidationFailed", observed.Reason);
    }

    [Fact]
    public void A_success_with_the_stripped_metadata_key_is_a_successful_rollout()
    {
        var e = Event("info", "ReconciliationSucceeded", new() { ["revision"] = "master@sha1:" + Sha, ["commit_status"] = "update" });

        var observed = FluxObservations.Of(e)!;

        Assert.Equal((Sha, true, false), (observed.Revision, observed.Succeeded, observed.RollbackHint));
    }

    [Theory]
    [InlineData("info", "Progressing")]
    [InlineData("info", "DependencyNotReady")]
    [InlineData("trace", "ReconciliationSucceeded")]
    public void Progress_dependencies_and_traces_say_nothing_about_a_rollout(string severity, string reason) =>
        Assert.Null(FluxObservations.Of(Event(severity, reason, new() { ["revision"] = "main@sha1:" + Sha })));

    [Fact]
    public void Source_objects_and_events_without_a_revision_are_no_rollouts()
    {
        Assert.Null(FluxObservations.Of(Event("error", "GitOperationFailed", new() { ["revision"] = "main@sha1:" + Sha }, kind: "GitRepository")));
        Assert.Null(FluxObservations.Of(Event("error", "ArtifactFailed", null)));
    }

    [Fact]
    public void A_helm_remediation_rollback_is_a_successful_rollout_marked_as_a_rollback()
    {
        var e = Event("info", "RollbackSucceeded",
            new() { ["helm.toolkit.fluxcd.io/revision"] = "6.3.0", ["helm.toolkit.fluxcd.io/token"] = "sha256:abcdef0123456789" }, kind: "HelmRelease");

        var observed = FluxObservations.Of(e)!;

        Assert.Equal(("HelmRelease/apps/webapp", "6.3.0@sha256:abcdef012345", true, true),
            (observed.Object, observed.Revision, observed.Succeeded, observed.RollbackHint));
    }

    [Fact]
    public void A_kustomization_reports_each_history_entry_and_a_failing_attempt()
    {
        var k = JsonSerializer.Deserialize<FluxKustomization>($$$"""
            {"metadata": {"name": "podinfo", "namespace": "flux-system"},
             "status": {"lastAppliedRevision": "main@sha1:{{{Sha}}}", "lastAttemptedRevision": "main@sha1:{{{new string('b', 40)}}}",
               "conditions": [{"type": "Ready", "status": "False", "reason": "HealthCheckFailed", "lastTransitionTime": "2026-01-05T12:00:00Z"}],
               "history": [
                 {"digest": "sha256:2", "firstReconciled": "2026-01-05T11:00:00Z", "lastReconciledStatus": "ReconciliationSucceeded",
                  "metadata": {"revision": "main@sha1:{{{Sha}}}"}},
                 {"digest": "sha256:1", "firstReconciled": "2026-01-04T11:00:00Z", "lastReconciledStatus": "ReconciliationSucceeded",
                  "metadata": {"revision": "main@sha1:{{{new string('a', 40)}}}"}}]}}
            """, FluxMapper.Json)!;

        var observed = FluxObservations.Of(k);

        Assert.Equal(
        [
            (new string('a', 40), true, new DateTimeOffset(2026, 1, 4, 11, 0, 0, TimeSpan.Zero)),
            (Sha, true, new DateTimeOffset(2026, 1, 5, 11, 0, 0, TimeSpan.Zero)),
            (new string('b', 40), false, new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero)),
        ], observed.Select(o => (o.Revision, o.Succeeded, o.At)));
    }

    private static FluxEvent Event(string severity, string reason, Dictionary<string, string>? metadata, string kind = "Kustomization") =>
        new(new FluxObjectReference(kind, "apps", "webapp", null, null), severity, new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero),
            "message", reason, metadata, "kustomize-controller", null);
}
