using DoraCollector.Ingestion;
using DoraCollector.Sources.ArgoCd;

namespace DoraCollector.UnitTests.Sources.ArgoCd;

/// <summary>Which rollout <c>status.summary.images</c> belongs to: history entries carry no images, so only the live one gets them.</summary>
public sealed class ArgoCdLiveImagesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);

    private static readonly AttemptRow Older = Attempt("a@1", T0, succeeded: true);
    private static readonly AttemptRow Newer = Attempt("a@2", T0.AddHours(1), succeeded: true);

    private static AttemptRow Attempt(string id, DateTimeOffset started, bool succeeded) =>
        new("argocd", id, 1, "production", null, "abc", succeeded, started, started.AddMinutes(2));

    private static ArgoApplication App(string? phase, DateTimeOffset? started, params string[] images) => new(
        new ArgoMetadata("a", "argocd", null, null), null,
        new ArgoStatus(null, phase is null ? null : new ArgoOperationState(null, phase, null, null, started, null, null), null,
            images.Length == 0 ? null : new ArgoSummary([.. images])));

    [Fact]
    public void The_images_belong_to_the_newest_successful_rollout_when_its_operation_is_the_last_one()
    {
        Assert.Same(Newer, ArgoCdMapper.LiveAttempt(App("Succeeded", Newer.StartedAt, "ghcr.io/acme/checkout:1.4.2"), [Older, Newer]));
        Assert.Same(Newer, ArgoCdMapper.LiveAttempt(App(null, null, "ghcr.io/acme/checkout:1.4.2"), [Older, Newer]));
    }

    [Fact]
    public void A_running_or_failed_operation_after_it_leaves_the_images_to_no_rollout()
    {
        var later = T0.AddHours(2);
        Assert.Null(ArgoCdMapper.LiveAttempt(App("Running", later, "ghcr.io/acme/checkout:1.4.3"), [Older, Newer]));
        Assert.Null(ArgoCdMapper.LiveAttempt(App("Failed", later, "ghcr.io/acme/checkout:1.4.3"), [Older, Newer, Attempt("a@3", later, succeeded: false)]));
        Assert.Null(ArgoCdMapper.LiveAttempt(App("Succeeded", Newer.StartedAt), [Older, Newer]));
    }
}
