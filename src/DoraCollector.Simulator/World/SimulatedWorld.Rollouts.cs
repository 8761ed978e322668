using System.Text.Json;
using DoraCollector.Simulator.ArgoCd;
using DoraCollector.Simulator.Flux;
using DoraCollector.Simulator.GitHub;
using DoraCollector.Simulator.Model;
using DoraCollector.Simulator.Sending;
using DoraCollector.Simulator.Truth;

namespace DoraCollector.Simulator.World;

/// <summary>
/// Rollouts to staging and production by each service's tool (Argo CD syncs and rollbacks, Flux
/// reconciliations, GitHub deployments), on the team's cadence; failed syncs retried or fixed by a
/// new revision; manual re-syncs.
/// </summary>
internal sealed partial class SimulatedWorld
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(20);

    private void SetUpTools(Pipeline pipeline)
    {
        var service = pipeline.Service;
        if (service.Tool == DeployTool.Flux && service.IsMultiCluster)
        {
            SetUpClusters(pipeline, pipeline.Production);
            return;
        }

        if (service.Tool != DeployTool.ArgoCd)
        {
            return;
        }

        foreach (var lane in pipeline.Lanes)
        {
            if (lane == pipeline.Production && service.IsMultiCluster)
            {
                SetUpClusters(pipeline, lane);
                continue;
            }

            lane.Argo = new ArgoCdApplication(service.ObjectName(lane.Environment))
                .WithSource(service.Repository.CloneUrl, service.ManifestPath(lane.Environment))
                .Label("environment", lane.Environment)
                .Label("team", service.Team)
                .Destination(lane.Environment == "production" ? "prod-eu-1" : "staging-eu-1", service.Name, service.Team);
        }

        _argoChanged = true;
    }

    /// <summary>The release slots of a working day, by the team's cadence (continuous delivery needs none).</summary>
    private void PlanReleases(Pipeline pipeline, DateTimeOffset day, bool weekend)
    {
        var profile = pipeline.Team.Profile;
        if (!weekend)
        {
            var (staging, production) = profile.Cadence switch
            {
                DeployCadence.TwiceDaily => ([10.0, 14.5], [11.5, 16.0]),
                DeployCadence.Daily => ([13.0], [10.0]),
                DeployCadence.Weekly => (day.DayOfWeek == DayOfWeek.Tuesday ? [14.0] : [], day.DayOfWeek == DayOfWeek.Thursday ? [15.0] : []),
                _ => (Array.Empty<double>(), Array.Empty<double>()),
            };
            foreach (var hour in staging)
            {
                var when = day.AddHours(hour) + Minutes(0, 10);
                if (when >= Now)
                {
                    At(when, () => RequestRollout(pipeline, pipeline.Staging, RolloutKind.Normal, null, TimeSpan.Zero));
                }
            }

            foreach (var hour in production)
            {
                var when = day.AddHours(hour) + Minutes(0, 10);
                if (when >= Now)
                {
                    At(when, () => Promote(pipeline, TimeSpan.Zero, fast: false));
                }
            }
        }

        if (pipeline.Service.Tool != DeployTool.Flux && Chance(profile.RedeploysPerServiceDay))
        {
            var when = WorkTime(day);
            var lane = Chance(0.7) ? pipeline.Production : pipeline.Staging;
            if (when >= Now)
            {
                At(when, () => RequestRollout(pipeline, lane, RolloutKind.Redeploy, null, TimeSpan.Zero));
            }
        }
    }

    /// <summary>Production takes what staging runs, unless it broke production before.</summary>
    private void Promote(Pipeline pipeline, TimeSpan delay, bool fast)
    {
        if (!fast)
        {
            if (pipeline.PromotionPending)
            {
                return;
            }

            pipeline.PromotionPending = true;
        }

        After(delay, () =>
        {
            if (!fast)
            {
                pipeline.PromotionPending = false;
            }

            if (pipeline.Staging.Live is { } revision && revision != pipeline.Production.Live && !pipeline.Bad.Contains(revision))
            {
                RequestRollout(pipeline, pipeline.Production, RolloutKind.Normal, revision, TimeSpan.Zero);
            }
        });
    }

    /// <param name="revision">Null: the branch head when the rollout starts (or, for a redeploy and a rollback, what they decide then).</param>
    private void RequestRollout(Pipeline pipeline, Lane lane, RolloutKind kind, string? revision, TimeSpan delay)
    {
        if (kind == RolloutKind.Normal && revision is null)
        {
            if (lane.HeadRequested)
            {
                return;
            }

            lane.HeadRequested = true;
        }

        var at = Now + delay;
        At(at < lane.FreeAt + Settle ? lane.FreeAt + Settle : at, () => StartRollout(pipeline, lane, kind, revision));
    }

    private void StartRollout(Pipeline pipeline, Lane lane, RolloutKind kind, string? revision)
    {
        if (lane.FreeAt + Settle > Now)
        {
            At(lane.FreeAt + Settle, () => StartRollout(pipeline, lane, kind, revision));
            return;
        }

        var service = pipeline.Service;
        switch (kind)
        {
            case RolloutKind.Normal when revision is null:
                lane.HeadRequested = false;
                revision = Repositories[service.Repository.FullName].Head!;
                if (!HasNews(service, lane.Live, revision))
                {
                    if (lane == pipeline.Staging && pipeline.FastTrack)
                    {
                        // The fix is on staging already: on to production.
                        pipeline.FastTrack = false;
                        Promote(pipeline, Minutes(5, 10), fast: true);
                    }

                    return;
                }

                break;
            case RolloutKind.Normal when revision == lane.Live || pipeline.Bad.Contains(revision!):
            case RolloutKind.Retry when revision == lane.Live:
                return;
            case RolloutKind.Redeploy:
                revision = lane.Live;
                break;
            case RolloutKind.Rollback:
                revision = lane.LiveHistory.LastOrDefault(r => r != lane.Live);
                break;
        }

        if (revision is null)
        {
            return;
        }

        var succeeded = kind switch
        {
            RolloutKind.Normal => !Chance(pipeline.Team.Profile.SyncFailure),
            RolloutKind.Retry => !Chance(0.15),
            _ => true,
        };
        var started = Now;
        var duration = service.Tool switch
        {
            DeployTool.ArgoCd => Minutes(1, 5),
            DeployTool.Flux => Minutes(1, 3),
            _ => Minutes(3, 9),
        };
        lane.FreeAt = started + duration;
        if (service.Tool == DeployTool.GitHubDeployments)
        {
            StartGitHubDeployment(pipeline, lane, kind, revision);
        }

        var chosen = revision;
        At(lane.FreeAt, () => FinishRollout(pipeline, lane, kind, chosen, started, succeeded));
    }

    /// <summary>Something new for the service since <paramref name="live"/>: any commit, or in the monorepo one touching its folder.</summary>
    private bool HasNews(Service service, string? live, string head)
    {
        if (live is null)
        {
            return true;
        }

        if (live == head)
        {
            return false;
        }

        if (service.Path is not { } path)
        {
            return true;
        }

        var history = Timeline.Repository(service.Repository.FullName);
        return CommitWalk.Between(history, head, live).Any(sha => history.Commits[sha].Files.Any(f => f.StartsWith(path + "/", StringComparison.Ordinal)));
    }

    private void FinishRollout(Pipeline pipeline, Lane lane, RolloutKind kind, string revision, DateTimeOffset started, bool succeeded)
    {
        var service = pipeline.Service;
        var user = kind is RolloutKind.Rollback or RolloutKind.Redeploy ? Pick(pipeline.Team.Engineers).Login : null;

        // Flux reports a rollout by events, and an object that fails again on the same revision
        // sends the same error again: the source cannot tell a retry from a repeat and folds it
        // into the rollout it continues (docs/sources/flux.md). It is one attempt, not two.
        var reported = service.Tool != DeployTool.Flux || lane.LastFlux is not { } last || last.Revision != revision || last.Succeeded != succeeded;
        switch (service.Tool)
        {
            case DeployTool.ArgoCd:
                FinishArgoSync(lane, kind, revision, started, succeeded, user);
                break;
            case DeployTool.Flux:
                FinishFluxReconciliation(pipeline, lane, revision, succeeded);
                break;
            default:
                FinishGitHubDeployment(pipeline, lane, succeeded);
                break;
        }

        if (reported)
        {
            Timeline.Attempts.Add(new AttemptFact(service.Name, lane.Environment, revision, succeeded, service.Tool == DeployTool.Flux ? null : started, Now,
                service.Tool == DeployTool.ArgoCd && kind == RolloutKind.Rollback, NextFact(), lane.Cluster));
        }

        if (succeeded)
        {
            if (kind != RolloutKind.Redeploy)
            {
                Follow(pipeline, lane, revision, kind == RolloutKind.Rollback);
            }

            Live(pipeline, lane, kind, revision);
        }
        else if (kind is not (RolloutKind.Rollback or RolloutKind.Redeploy))
        {
            RolloutFailed(pipeline, lane, revision);
        }
    }

    private void Live(Pipeline pipeline, Lane lane, RolloutKind kind, string revision)
    {
        var profile = pipeline.Team.Profile;
        lane.Live = revision;
        lane.LiveHistory.Add(revision);
        lane.Retries = 0;
        var change = kind is RolloutKind.Normal or RolloutKind.Retry;
        if (lane == pipeline.Staging)
        {
            if (change && pipeline.FastTrack)
            {
                pipeline.FastTrack = false;
                Promote(pipeline, Minutes(5, 10), fast: true);
            }
            else if (change && profile.Cadence == DeployCadence.Continuous)
            {
                Promote(pipeline, Minutes(15, 40), fast: false);
            }

            if (change && Chance(profile.BadDeploy / 3))
            {
                After(profile.Detection.Draw(_random), () => StartIncident(pipeline, lane, remedy: false, BreakageAlerts));
            }

            return;
        }

        foreach (var incident in pipeline.AwaitingFix.ToList())
        {
            if ((incident.AwaitsRollback && kind == RolloutKind.Rollback) || (incident.FixRevision is { } fix && Contains(pipeline, revision, fix)))
            {
                pipeline.AwaitingFix.Remove(incident);
                After(Minutes(2, 8), () => Resolve(incident));
            }
        }

        if (change && Chance(profile.BadDeploy))
        {
            pipeline.Bad.Add(revision);
            After(profile.Detection.Draw(_random), () => StartIncident(pipeline, lane, remedy: true, BreakageAlerts));
        }
    }

    /// <summary>A failed rollout is retried on the same revision, or fixed by a new one that goes straight through.</summary>
    private void RolloutFailed(Pipeline pipeline, Lane lane, string revision)
    {
        if (lane.Retries < 2 && Chance(0.65))
        {
            lane.Retries++;
            RequestRollout(pipeline, lane, RolloutKind.Retry, revision, Minutes(5, 40));
            return;
        }

        lane.Retries = 0;
        After(Minutes(15, 60), () =>
        {
            var service = pipeline.Service;
            Push(service.Repository, [$"{service.ManifestPath(lane.Environment)}/deployment.yaml"], $"Fix {service.Name} rollout: {Pick(RolloutFixes)}",
                Pick(pipeline.Team.Engineers), Now - Minutes(1, 10), Now);
            pipeline.FastTrack = true;
            RequestRollout(pipeline, pipeline.Staging, RolloutKind.Normal, null, Minutes(3, 8));
        });
    }

    private static readonly string[] RolloutFixes =
        ["image tag", "missing config map key", "readiness probe path", "memory limit", "service account name", "volume mount"];

    private bool Contains(Pipeline pipeline, string revision, string commit)
    {
        var history = Timeline.Repository(pipeline.Service.Repository.FullName);
        return revision == commit || CommitWalk.IsAncestor(history, commit, revision);
    }

    private void FinishArgoSync(Lane lane, RolloutKind kind, string revision, DateTimeOffset started, bool succeeded, string? user) =>
        FinishArgoSync(lane.Argo!, kind == RolloutKind.Rollback, revision, started, succeeded, user);

    private void FinishArgoSync(ArgoCdApplication app, bool rollback, string revision, DateTimeOffset started, bool succeeded, string? user)
    {
        if (succeeded)
        {
            // Argo CD keeps the last revisionHistoryLimit (10) syncs.
            app.Synced(started, Now, revision, user, rollback: rollback).Keep(10);
        }
        else
        {
            app.Failed(started, Now, revision);
        }

        _argoChanged = true;
        NotifyArgoCd(app);
        if (succeeded)
        {
            // on-sync-succeeded and on-deployed both fire for a healthy sync: the same body twice.
            NotifyArgoCd(app);
        }
    }

    private void NotifyArgoCd(ArgoCdApplication app) =>
        Emit(DeliveryKind.ArgoCd, "/webhooks/argocd", NotificationTemplate.Render(app.ToJson()),
            new("Content-Type", "application/json"), new("Authorization", $"Bearer {Credentials.ArgoCdWebhookToken}"));

    private void FinishFluxReconciliation(Pipeline pipeline, Lane lane, string revision, bool succeeded)
    {
        var at = Now;
        EmitFlux(pipeline, lane, lane.Cluster, revision, succeeded ? FluxEvents.Succeeded : Pick(FluxFailures));
        lane.LastFlux = (revision, succeeded, at);
        if (succeeded && pipeline.Service.InGitOps)
        {
            lane.GitOpsApplied = lane.GitOpsHead?.Commit ?? lane.GitOpsBump?.Commit;
        }

        // kustomize-controller repeats itself: a success after every reconcile, a failure at every
        // retry. The collector must fold the repeats into the rollout they repeat.
        After(succeeded ? TimeSpan.FromMinutes(10) : TimeSpan.FromMinutes(5), () =>
        {
            if (lane.LastFlux == (revision, succeeded, at) && lane.FreeAt <= Now)
            {
                EmitFlux(pipeline, lane, lane.Cluster, revision, succeeded ? FluxEvents.Succeeded : Pick(FluxFailures));
            }
        });
    }

    private static readonly string[] FluxFailures = ["HealthCheckFailed", "ReconciliationFailed"];

    /// <param name="cluster">The cluster whose Flux reports, named in its Provider's address; null: the environment's one cluster.</param>
    private void EmitFlux(Pipeline pipeline, Lane lane, string? cluster, string revision, string reason)
    {
        var service = pipeline.Service;
        var name = service.ObjectName(lane.Environment);
        var succeeded = reason == FluxEvents.Succeeded;
        var metadata = new Dictionary<string, string> { ["environment"] = lane.Environment };
        var applied = revision;
        if (service.InGitOps)
        {
            // Flux applies the GitOps commit; its event annotations name the GitOps repository and,
            // as the bump chose, the application's commit or the image it runs, or nothing more.
            var bumped = lane.GitOpsBump?.Commit;
            (applied, var link) = GitOpsCommit(pipeline, lane, revision, succeeded);
            applied = GitOpsApplied(pipeline, lane, applied, fresh: applied != bumped, leads: cluster == lane.Cluster);
            metadata["configurationRepository"] = Organization.GitOps!.FullName;
            metadata["sourcePath"] = $"./{service.GitOpsPath(lane.Environment)}";
            switch (link)
            {
                case GitOpsLink.Explicit:
                    metadata["applicationRevision"] = revision;
                    metadata["applicationRepository"] = service.Repository.FullName;
                    break;
                case GitOpsLink.Images:
                    metadata["images"] = ImageOf(service, revision);
                    break;
            }
        }

        var body = FluxEvents.Event(name, FluxEvents.Revision("main", applied), Now, reason, succeeded ? "info" : "error",
            metadata: metadata).ToJsonString();
        Emit(DeliveryKind.Flux, cluster is null ? "/webhooks/flux" : $"/webhooks/flux?cluster={cluster}", body,
            new("Content-Type", "application/json"), new("Gotk-Component", "kustomize-controller"),
            new("X-Signature", WebhookSignatures.Sha256(Credentials.FluxWebhookSecret, body)));
    }

    private void StartGitHubDeployment(Pipeline pipeline, Lane lane, RolloutKind kind, string revision)
    {
        var service = pipeline.Service;
        var repository = Repositories[service.Repository.FullName];
        lock (GitHubGate)
        {
            if (kind != RolloutKind.Retry || lane.GitHubDeployment?.Sha != revision)
            {
                lane.GitHubDeployment = repository.Deploy(revision, lane.Environment, Now);
                lane.GitHubDeployment.Payload = JsonSerializer.Serialize(new { service = service.Name });
                lane.GitHubDeployment.Description = kind switch
                {
                    RolloutKind.Rollback => "Rollback to the previous release",
                    RolloutKind.Redeploy => "Redeploy",
                    _ => $"Deploy {revision[..7]} to {lane.Environment}",
                };
            }

            lane.GitHubDeployment.AddStatus("in_progress", Now);
        }

        EmitGitHub(GitHubEvents.DeploymentStatus(service.Repository, lane.GitHubDeployment, lane.GitHubDeployment.Statuses[^1], service.Name));
    }

    private void FinishGitHubDeployment(Pipeline pipeline, Lane lane, bool succeeded)
    {
        var deployment = lane.GitHubDeployment!;
        lock (GitHubGate)
        {
            deployment.AddStatus(succeeded ? "success" : Pick(["failure", "error"]), Now);
        }

        EmitGitHub(GitHubEvents.DeploymentStatus(pipeline.Service.Repository, deployment, deployment.Statuses[^1], pipeline.Service.Name));
    }
}
