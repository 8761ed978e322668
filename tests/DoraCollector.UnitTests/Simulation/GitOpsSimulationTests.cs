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
            Assert.Equal([new ImageTagChange(image, null, bump.Application[..12])],
                ManifestPatch.Read(gitOps.Patches[(sha, file)]).Select(c => c with { OldTag = null }));
            var message = CommitMessageLinks.Read(gitOps.Commits[sha].Message);
            Assert.Empty(message.Images);
            var trailer = bump.Link is GitOpsLink.Images or GitOpsLink.Trailer;
            Assert.Equal(trailer ? [new SourceCommitLink(service.Repository.FullName, bump.Application)] : [], message.Commits);
        }
    }
}
