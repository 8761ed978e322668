using DoraCollector.Simulator;
using DoraCollector.Simulator.World;
using DoraCollector.Sources.GitOps;
using Microsoft.Extensions.Time.Testing;
using SimulationRun = DoraCollector.Simulator.Simulation;

namespace DoraCollector.UnitTests.Simulation;

/// <summary>
/// The simulated GitOps bumps say what their link promises, read by the collector's own parsers:
/// a trailer naming the application's commit, or a diff setting its tag and nothing else naming it.
/// </summary>
public sealed class GitOpsSimulationTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Every_bump_carries_what_its_link_promises_and_all_four_links_occur()
    {
        await using var simulation = SimulationRun.Create(new SimulationOptions
        {
            Seed = 7, Days = 30, Teams = 3, Services = 7, MonorepoServices = 2, GitOpsServices = 1, Now = Now, Clock = new FakeTimeProvider(Now),
        });
        var world = simulation.World;
        var service = world.Organization.Services.Single(s => s.InGitOps);
        var gitOps = world.Repositories[world.Organization.GitOps!.FullName];
        var image = $"ghcr.io/acme/{service.Name}";

        Assert.Contains($"    images: [{image}]", simulation.CatalogYaml(), StringComparison.Ordinal);
        Assert.Equal([GitOpsLink.Explicit, GitOpsLink.Images, GitOpsLink.Trailer, GitOpsLink.Diff],
            world.GitOpsBumps.Values.Select(b => b.Link).Distinct().Order());
        foreach (var (sha, bump) in world.GitOpsBumps)
        {
            var file = $"{service.GitOpsPath(bump.Environment)}/kustomization.yaml";
            Assert.Equal([new ImageTagChange(image, null, world.ImageBuilds[bump.Application].Tag)],
                ManifestPatch.Read(gitOps.Patches[(sha, file)]).Select(c => c with { OldTag = null }));
            var message = CommitMessageLinks.Read(gitOps.Commits[sha].Message);
            Assert.Empty(message.Images);
            var trailer = bump.Link is GitOpsLink.Images or GitOpsLink.Trailer;
            Assert.Equal(trailer ? [new SourceCommitLink(service.Repository.FullName, bump.Application)] : [], message.Commits);
        }
    }

    [Fact]
    public async Task Ci_tags_some_builds_with_versions_and_links_some_images_by_a_github_deployment()
    {
        await using var simulation = SimulationRun.Create(new SimulationOptions
        {
            Seed = 7, Days = 30, Teams = 3, Services = 7, MonorepoServices = 2, GitOpsServices = 1, Now = Now, Clock = new FakeTimeProvider(Now),
        });
        var world = simulation.World;
        var service = world.Organization.Services.Single(s => s.InGitOps);
        var shop = world.Repositories[service.Repository.FullName];

        // Every kind of build occurs, and every bump's application commit was built.
        Assert.Equal([(false, false), (false, true), (true, false), (true, true)],
            world.ImageBuilds.Values.Select(b => (b.IsVersion, b.Deployment)).Distinct().Order());
        Assert.All(world.GitOpsBumps.Values, b => Assert.True(world.ImageBuilds.ContainsKey(b.Application)));
        foreach (var (revision, build) in world.ImageBuilds)
        {
            Assert.Equal(build.IsVersion ? revision : null, shop.Tags.TryGetValue(build.Tag, out var tagged) ? tagged.Sha : null);
            Assert.Equal(build.IsVersion ? build.Tag : revision[..12], build.Tag);
            var linked = shop.Deployments.Where(d => d.Sha == revision && d.Environment == "build").ToList();
            Assert.Equal(build.Deployment ? 1 : 0, linked.Count);
            foreach (var deployment in linked)
            {
                var images = DoraCollector.Sources.GitHub.Mapping.DeploymentImages.ReadText(deployment.Payload);
                Assert.Equal([$"ghcr.io/acme/{service.Name}:{build.Tag}"], images.Select(i => i.ToString()));
            }
        }

        // The builds' deliveries are queued: a deployment (and its status) for each linked build.
        var sent = simulation.Backfill.Select(d => d.Headers.FirstOrDefault(h => h.Key == "X-GitHub-Event").Value).ToList();
        Assert.Equal(world.ImageBuilds.Values.Count(b => b.Deployment), sent.Count(e => e == "deployment"));
    }
}
