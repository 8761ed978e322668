using DoraCollector.Simulator.ArgoCd;
using DoraCollector.Simulator.Flux;
using DoraCollector.Simulator.Model;
using DoraCollector.Simulator.Truth;

namespace DoraCollector.Simulator.World;

/// <summary>
/// Production on several clusters. Argo CD: an ApplicationSet generates one Application per
/// cluster. Flux: each cluster runs its own Flux, reconciling the same Kustomization and posting
/// its events with the cluster in the Provider's address (<c>/webhooks/flux?cluster=us</c>). The
/// first cluster leads (the pipeline rolls out to it as to any production); each other cluster
/// rolls out what the leader went live with, in order, some minutes later, now and then a day
/// later (so it receives a revision after the others already run the next one), and now and then
/// fails a sync and retries it. A rollback on the leader is followed at once. A Flux follower's new
/// revision now and then breaks on that cluster alone: an alert labelled with the cluster fires
/// and the cluster alone goes back to the revision it ran before. These draws come from random
/// sequences of their own (one for Argo CD, one for Flux), so the other services live as they
/// would without multi-cluster services.
/// </summary>
internal sealed partial class SimulatedWorld
{
    private readonly Random _clusterRandom;
    private readonly Random _fluxClusterRandom;

    // Alerts of one cluster's breakage: names no other alert uses, so they never hold back another.
    private static readonly string[] ClusterAlerts = ["KubePodCrashLooping", "KubeDeploymentReplicasMismatch"];

    private void SetUpClusters(Pipeline pipeline, Lane lane)
    {
        var service = pipeline.Service;
        var leader = service.ProductionClusters[0];
        lane.Cluster = leader.Name;
        if (service.Tool == DeployTool.Flux)
        {
            foreach (var cluster in service.ProductionClusters.Skip(1))
            {
                lane.Followers.Add(new FollowerCluster(cluster.Name, null));
            }

            return;
        }

        var applicationSet = service.ObjectName(lane.Environment);
        ArgoCdApplication Application(string cluster, string destination) =>
            new ArgoCdApplication($"{applicationSet}-{cluster}")
                .WithSource(service.Repository.CloneUrl, service.ManifestPath(lane.Environment))
                .Label("environment", lane.Environment)
                .Label("team", service.Team)
                .OwnedBy(applicationSet)
                .Destination(destination, service.Name, service.Team);

        lane.Argo = Application(leader.Name, leader.Destination);
        foreach (var cluster in service.ProductionClusters.Skip(1))
        {
            lane.Followers.Add(new FollowerCluster(cluster.Name, Application(cluster.Name, cluster.Destination)));
        }
    }

    /// <summary>The leading cluster went live with <paramref name="revision"/>: the followers queue it, each with its lag.</summary>
    private void Follow(Pipeline pipeline, Lane lane, string revision, bool rollback)
    {
        var random = ClusterDraws(pipeline);
        var flux = pipeline.Service.Tool == DeployTool.Flux;
        for (var i = 0; i < lane.Followers.Count; i++)
        {
            var follower = lane.Followers[i];
            // Argo CD's second follower is the far one: later, and now and then a whole day late. A
            // Flux follower reconciles less often (every half hour or so), and is now and then a day
            // late too (its source could not be fetched).
            var lag = rollback ? ClusterMinutes(random, 1, 4)
                : flux ? (random.NextDouble() < 0.15 ? ClusterMinutes(random, 20 * 60, 30 * 60) : ClusterMinutes(random, 15, 60))
                : i == 0 ? ClusterMinutes(random, 5, 15)
                : random.NextDouble() < 0.2 ? ClusterMinutes(random, 20 * 60, 30 * 60)
                : ClusterMinutes(random, 15, 40);
            follower.Waiting.Add(new FollowerSync(revision, rollback, Retry: false, Now + lag));
            Pump(pipeline, lane, follower);
        }
    }

    private void Pump(Pipeline pipeline, Lane lane, FollowerCluster follower)
    {
        if (follower.Busy || follower.Waiting.Count == 0)
        {
            return;
        }

        follower.Busy = true;
        At(follower.Waiting[0].NotBefore, () => StartFollowerSync(pipeline, lane, follower));
    }

    private void StartFollowerSync(Pipeline pipeline, Lane lane, FollowerCluster follower)
    {
        var sync = follower.Waiting[0];
        follower.Waiting.RemoveAt(0);
        // A rollback waiting behind it makes it moot; so is a revision that runs already.
        if (follower.Waiting.Any(w => w.Rollback) || sync.Revision == follower.Live)
        {
            follower.Busy = false;
            Pump(pipeline, lane, follower);
            return;
        }

        var random = ClusterDraws(pipeline);
        var flux = pipeline.Service.Tool == DeployTool.Flux;
        // Argo CD's rollback goes back to a revision the Application ran; one it never ran is a plain sync.
        var rollback = sync.Rollback && follower.Ran.Contains(sync.Revision);
        var started = Now;
        var succeeded = sync.Retry || sync.Rollback || random.NextDouble() >= 0.1;
        At(started + ClusterMinutes(random, 1, 5), () =>
        {
            var service = pipeline.Service;
            // Flux cannot tell a retry from a repeat: the same revision and outcome again is no new attempt.
            var reported = !flux || follower.LastFlux is not { } last || last.Revision != sync.Revision || last.Succeeded != succeeded;
            if (flux)
            {
                FinishFollowerFlux(pipeline, lane, follower, sync.Revision, succeeded);
            }
            else
            {
                FinishArgoSync(follower.Argo!, rollback, sync.Revision, started, succeeded, null);
            }

            if (reported)
            {
                Timeline.Attempts.Add(new AttemptFact(service.Name, lane.Environment, sync.Revision, succeeded, flux ? null : started, Now,
                    !flux && rollback, NextFact(), follower.Name));
            }

            if (succeeded)
            {
                follower.Live = sync.Revision;
                follower.Ran.Add(sync.Revision);
                follower.LiveHistory.Add(sync.Revision);
                if (flux && !sync.Rollback && random.NextDouble() < 0.08)
                {
                    var broken = sync.Revision;
                    At(Now + ClusterMinutes(random, 10, 30), () => BreakOnCluster(pipeline, lane, follower, broken));
                }
            }
            else
            {
                follower.Waiting.Insert(0, sync with { Retry = true, NotBefore = Now + ClusterMinutes(random, 5, 20) });
            }

            follower.Busy = false;
            Pump(pipeline, lane, follower);
        });
    }

    /// <summary>
    /// The follower's revision broke on that cluster alone: an alert labelled with the cluster fires,
    /// and the cluster goes back to the revision it ran before, unless it has moved on meanwhile.
    /// </summary>
    private void BreakOnCluster(Pipeline pipeline, Lane lane, FollowerCluster follower, string broken)
    {
        var previous = follower.LiveHistory.LastOrDefault(r => r != broken);
        if (follower.Live != broken || follower.Busy || follower.Waiting.Count > 0 || previous is null)
        {
            return;
        }

        var random = ClusterDraws(pipeline);
        var service = pipeline.Service;
        var labels = new Dictionary<string, string>
        {
            ["alertname"] = ClusterAlerts[random.Next(ClusterAlerts.Length)], ["severity"] = "critical", [service.AlertLabel] = service.AlertValue,
            ["environment"] = lane.Environment, ["namespace"] = service.Name, ["team"] = service.Team, ["cluster"] = follower.Name,
        };
        var alert = Fire(labels, $"{service.Name} is unhealthy in {lane.Environment} on {follower.Name}");
        follower.Waiting.Add(new FollowerSync(previous, Rollback: true, Retry: false, Now + ClusterMinutes(random, 5, 15)));
        Pump(pipeline, lane, follower);
        if (alert is not null)
        {
            At(Now + ClusterMinutes(random, 25, 40), () => End(alert));
        }
    }

    private void FinishFollowerFlux(Pipeline pipeline, Lane lane, FollowerCluster follower, string revision, bool succeeded)
    {
        var at = Now;
        EmitFlux(pipeline, lane, follower.Name, revision, succeeded ? FluxEvents.Succeeded : "HealthCheckFailed");
        follower.LastFlux = (revision, succeeded, at);

        // Each cluster's kustomize-controller repeats itself, as the leader's does.
        At(at + (succeeded ? TimeSpan.FromMinutes(10) : TimeSpan.FromMinutes(5)), () =>
        {
            if (follower.LastFlux == (revision, succeeded, at) && !follower.Busy)
            {
                EmitFlux(pipeline, lane, follower.Name, revision, succeeded ? FluxEvents.Succeeded : "HealthCheckFailed");
            }
        });
    }

    /// <summary>
    /// The label naming the cluster an alert of a multi-cluster production was seen on: two alerts
    /// in three carry one. Decided by the alert's labels and instant, so no random draw changes.
    /// </summary>
    private string? AlertCluster(Lane lane, IReadOnlyDictionary<string, string> labels)
    {
        if (lane.Cluster is not { } leader)
        {
            return null;
        }

        var clusters = lane.Followers.Select(f => f.Name).Prepend(leader).ToList();
        var hash = Convert.ToUInt64(Fingerprint(labels), 16) ^ (ulong)Now.ToUnixTimeSeconds();
        return hash % 3 == 0 ? null : clusters[(int)(hash / 3 % (ulong)clusters.Count)];
    }

    private Random ClusterDraws(Pipeline pipeline) => pipeline.Service.Tool == DeployTool.Flux ? _fluxClusterRandom : _clusterRandom;

    private static TimeSpan ClusterMinutes(Random random, double min, double max) => TimeRange.Minutes(min, max).Draw(random);
}
