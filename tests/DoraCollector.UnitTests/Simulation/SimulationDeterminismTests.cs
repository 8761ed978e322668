using DoraCollector.Simulator;
using Microsoft.Extensions.Time.Testing;
using SimulationRun = DoraCollector.Simulator.Simulation;

namespace DoraCollector.UnitTests.Simulation;

/// <summary>The same seed and clock give the same organisation, history and expected values.</summary>
public sealed class SimulationDeterminismTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

    private static SimulationOptions Options(int seed) => new()
    {
        Seed = seed, Days = 20, Teams = 3, Services = 6, MonorepoServices = 2, Now = Now, Clock = new FakeTimeProvider(Now),
    };

    [Fact]
    public async Task The_same_seed_gives_the_same_organisation_history_and_expected_values()
    {
        await using var first = SimulationRun.Create(Options(11));
        await using var second = SimulationRun.Create(Options(11));

        Assert.Equal(first.Describe(), second.Describe());
        Assert.Equal(first.CatalogYaml(), second.CatalogYaml());
        Assert.Equal(first.Explain(), second.Explain());
        Assert.Equal(first.Expected().ToJson(), second.Expected().ToJson());
        Assert.Equal(first.World.Timeline.Attempts, second.World.Timeline.Attempts);
    }

    [Fact]
    public async Task Another_seed_gives_another_history()
    {
        await using var first = SimulationRun.Create(Options(11));
        await using var other = SimulationRun.Create(Options(12));

        Assert.NotEqual(first.Explain(), other.Explain());
    }

    [Fact]
    public async Task Living_a_day_in_steps_gives_the_history_of_living_it_at_once()
    {
        using var collector = new HttpClient(new Accepting()) { BaseAddress = new Uri("http://collector.invalid/") };
        await using var stepped = SimulationRun.Create(Options(5));
        await using var direct = SimulationRun.Create(Options(5));
        for (var hour = 1; hour <= 24; hour++)
        {
            await stepped.AdvanceAsync(Now.AddHours(hour), collector);
        }

        var report = await direct.AdvanceAsync(Now.AddDays(1), collector);

        Assert.True(report.Sent > 0);
        Assert.Equal(direct.Explain(), stepped.Explain());
        Assert.Equal(direct.Expected().ToJson(), stepped.Expected().ToJson());
    }

    [Fact]
    public void A_large_organisation_names_every_service_and_repository_once()
    {
        var organization = DoraCollector.Simulator.Model.OrganizationBuilder.Build(42, "acme", teams: 20, services: 200, monorepoServices: 3);

        Assert.Equal(200, organization.Services.Select(s => s.Name).Distinct().Count());
        Assert.Equal(organization.Repositories.Count, organization.Repositories.Select(r => r.FullName).Distinct().Count());
        Assert.All(organization.Teams, t => Assert.Equal(10, organization.Services.Count(s => s.Team == t.Name)));
    }

    [Fact]
    public void Every_profile_is_there_and_the_monorepo_holds_services_of_several_teams()
    {
        var organization = SimulationRun.Create(Options(3)).World.Organization;

        Assert.Equal(["payments", "storefront", "platform"], organization.Teams.Select(t => t.Name));
        Assert.Equal(["Elite", "Struggling", "High"], organization.Teams.Select(t => t.Profile.Performance.ToString()));
        var monorepo = organization.Services.Where(s => s.Repository.IsMonorepo).ToList();
        Assert.Equal(2, monorepo.Select(s => s.Team).Distinct().Count());
        Assert.Equal(["ArgoCd", "Flux", "GitHubDeployments"], organization.Services.Select(s => s.Tool.ToString()).Distinct().Order());
    }

    private sealed class Accepting : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.Accepted));
    }
}
