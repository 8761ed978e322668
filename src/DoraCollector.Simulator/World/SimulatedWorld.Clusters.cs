using DoraCollector.Simulator.ArgoCd;
using DoraCollector.Simulator.Truth;

namespace DoraCollector.Simulator.World;

/// <summary>
/// Production on several clusters: an ApplicationSet generates one Argo CD Application per
/// cluster. The first cluster leads (the pipeline rolls out to it as to any production); each
/// other cluster rolls out what the leader went live with, in order, some minutes later, now and
/// then a day later (so it receives a revision after the others already run the next one), and
/// now and then fails a sync and retries it. A rollback on the leader is followed at once. These
/// draws come from a random sequence of their own, so the other services live as they would
/// without multi-cluster services.
/// </summary>
internal sealed partial class SimulatedWorld
{
    private readonly Random _clusterRandom;

    private void SetUpClusters(Pipeline pipeline, Lane lane)
    {
        var service = pipeline.Service;
        var applicationSet = service.ObjectName(lane.Environment);
        ArgoCdApplication Application(string cluster, string destination) =>
            new ArgoCdApplication($"{applicationSet}-{cluster}")
                .WithSource(service.Repository.CloneUrl, service.ManifestPath(lane.Environment))
                .Label("environment", lane.Environment)
                .Label("team", service.Team)
                .OwnedBy(applicationSet)
                .Destination(destination, service.Name, service.Team);

        var leader = service.ProductionClusters[0];
        lane.Argo = Application(leader.Name, leader.Destination);
        lane.Cluster = leader.Name;
        foreach (var cluster in service.ProductionClusters.Skip(1))
        {
            lane.Followers.Add(new FollowerCluster(cluster.Name, Application(cluster.Name, cluster.Destination)));
        }
    }

    /// <summary>The leading cluster went live with <paramref name="revision"/>: the followers queue it, each with its lag.</summary>
    private void Follow(Pipeline pipeline, Lane lane, string revision, bool rollback)
    {
        for (var i = 0; i < lane.Followers.Count; i++)
        {
            var follower = lane.Followers[i];
            // The second follower is the far one: later, and now and then a whole day late.
            var lag = rollback ? ClusterMinutes(1, 4)
                : i == 0 ? ClusterMinutes(5, 15)
                : _clusterRandom.NextDouble() < 0.2 ? ClusterMinutes(20 * 60, 30 * 60)
                : ClusterMinutes(15, 40);
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

        // Argo CD's rollback goes back to a revision the Application ran; one it never ran is a plain sync.
        var rollback = sync.Rollback && follower.Ran.Contains(sync.Revision);
        var started = Now;
        var succeeded = sync.Retry || sync.Rollback || _clusterRandom.NextDouble() >= 0.1;
        At(started + ClusterMinutes(1, 5), () =>
        {
            var service = pipeline.Service;
            FinishArgoSync(follower.Argo, rollback, sync.Revision, started, succeeded, null);
            Timeline.Attempts.Add(new AttemptFact(service.Name, lane.Environment, sync.Revision, succeeded, started, Now, rollback, NextFact(),
                follower.Name));
            if (succeeded)
            {
                follower.Live = sync.Revision;
                follower.Ran.Add(sync.Revision);
            }
            else
            {
                follower.Waiting.Insert(0, sync with { Retry = true, NotBefore = Now + ClusterMinutes(5, 20) });
            }

            follower.Busy = false;
            Pump(pipeline, lane, follower);
        });
    }

    private TimeSpan ClusterMinutes(double min, double max) => Model.TimeRange.Minutes(min, max).Draw(_clusterRandom);
}
