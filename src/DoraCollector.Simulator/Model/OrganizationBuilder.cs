using DoraCollector.Simulator.GitHub;

namespace DoraCollector.Simulator.Model;

/// <summary>
/// Builds the organisation for a seed and a size: teams with deliberately different profiles
/// (elite, struggling, high, medium, in turn), services spread over them, one monorepo holding
/// the first service of several teams, the other services in repositories of their own, rolled out
/// by Argo CD and Flux in turn and one by GitHub deployments.
/// </summary>
internal static class OrganizationBuilder
{
    private static readonly (string Team, string[] Services)[] Domains =
    [
        ("payments", ["checkout", "billing", "ledger", "refunds", "invoices"]),
        ("storefront", ["catalog", "cart", "web", "recommendations", "reviews"]),
        ("platform", ["gateway", "notifications", "scheduler", "auth-proxy", "config"]),
        ("identity", ["accounts", "sessions", "permissions", "tokens", "profiles"]),
        ("search", ["search-api", "indexer", "suggest", "ranking", "synonyms"]),
        ("logistics", ["shipping", "inventory", "warehouse", "tracking", "returns"]),
        ("growth", ["campaigns", "referrals", "emails", "experiments", "coupons"]),
        ("data", ["events", "reporting", "exports", "pipelines", "metrics-api"]),
    ];

    private static readonly Performance[] Profiles = [Performance.Elite, Performance.Struggling, Performance.High, Performance.Medium];

    private static readonly string[] GivenNames =
    [
        "Ada", "Bruno", "Chiara", "Dmitri", "Elif", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kemal", "Lena", "Mateo", "Nadia", "Oskar",
        "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zofia",
    ];

    private static readonly string[] FamilyNames =
    [
        "Almeida", "Becker", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova", "Jensen", "Kowalski", "Larsen",
        "Moreau", "Novak", "Okafor", "Petrov", "Rossi", "Sato", "Tanaka", "Urban", "Varga", "Weber", "Yilmaz", "Zhang",
    ];

    /// <param name="monorepoServices">How many services share the monorepo (at most one per team, at least 2 when there are 2 teams).</param>
    /// <param name="clusterServices">How many Argo CD services of their own repository roll out to production over three clusters (the first ones).</param>
    /// <param name="gitOpsServices">How many Flux services of their own repository keep their manifests in the GitOps repository (the first ones).</param>
    public static Organization Build(int seed, string owner, int teams, int services, int monorepoServices, int clusterServices = 0, int gitOpsServices = 0)
    {
        if (teams < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(teams), teams, "an organisation needs at least two teams (an elite and a struggling one)");
        }

        if (services < teams)
        {
            throw new ArgumentOutOfRangeException(nameof(services), services, "every team needs a service");
        }

        var random = new Random(seed);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var teamList = new List<Team>();
        for (var t = 0; t < teams; t++)
        {
            var name = t < Domains.Length ? Domains[t].Team : $"{Domains[t % Domains.Length].Team}-{(t / Domains.Length) + 1}";
            var profile = TeamProfile.Of(Profiles[t % Profiles.Length]);
            var engineers = Enumerable.Range(0, profile.Engineers).Select(_ => Engineer(random, owner, used)).ToList();
            teamList.Add(new Team(name, profile, engineers));
        }

        // Services go to teams in turn: the first service of each team, then the second, ...
        var names = new List<(string Name, Team Team)>();
        var taken = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; names.Count < services; i++)
        {
            var team = teamList[i % teams];
            var slot = i / teams;
            var domain = Domains[(i % teams) % Domains.Length].Services;
            var name = slot < domain.Length ? domain[slot] : $"{domain[slot % domain.Length]}-{(slot / domain.Length) + 1}";
            if (teams > Domains.Length && i % teams >= Domains.Length)
            {
                name = $"{name}-{team.Name.Split('-')[^1]}";
            }

            // Beyond eight teams a domain's second round of names ("checkout-2") meets its second
            // team's first round: the later one takes its team's name in front.
            while (!taken.Add(name))
            {
                name = $"{team.Name}-{name}";
            }

            names.Add((name, team));
        }

        var shared = Math.Clamp(monorepoServices, 0, Math.Min(teams, services));
        var monorepo = new Repository($"{owner}/shop", IsMonorepo: true);
        var result = new List<Service>();
        var polyrepos = services - shared;
        var clustered = 0;
        for (var i = 0; i < names.Count; i++)
        {
            var (name, team) = names[i];
            var inMonorepo = i < shared;
            var repository = inMonorepo ? monorepo : new Repository($"{owner}/{name}", IsMonorepo: false);
            var polyIndex = i - shared;

            // The monorepo's services alternate Argo CD and Flux, and so do the others; the last
            // service of its own repository rolls out through GitHub deployments.
            var tool = inMonorepo
                ? (i % 2 == 0 ? DeployTool.ArgoCd : DeployTool.Flux)
                : polyrepos >= 3 && polyIndex == polyrepos - 1 ? DeployTool.GitHubDeployments
                : (polyIndex % 2 == 0 ? DeployTool.ArgoCd : DeployTool.Flux);
            var byApp = i % 3 == 2;
            var clusters = !inMonorepo && tool == DeployTool.ArgoCd && clustered < clusterServices ? ProductionCluster.ThreeClouds : [];
            clustered += clusters.Count > 0 ? 1 : 0;
            result.Add(new Service(name, team.Name, repository, inMonorepo ? $"services/{name}" : null, tool,
                byApp ? "app" : "service", byApp ? $"{name}-api" : name, AlertsWithRevision: i % 4 == 1, clusters));
        }

        var gitOps = result.Where(s => s.Tool == DeployTool.Flux && !s.Repository.IsMonorepo).Take(Math.Max(0, gitOpsServices)).ToList();
        foreach (var service in gitOps)
        {
            result[result.IndexOf(service)] = service with { InGitOps = true };
        }

        var repositories = result.Select(s => s.Repository).Distinct().ToList();
        return new Organization(owner, teamList, repositories, result)
        {
            GitOps = gitOps.Count > 0 ? new Repository($"{owner}/gitops", IsMonorepo: false) : null,
        };
    }

    private static GitHubUser Engineer(Random random, string owner, HashSet<string> used)
    {
        for (var attempt = 0; ; attempt++)
        {
            var given = GivenNames[random.Next(GivenNames.Length)];
            var family = FamilyNames[random.Next(FamilyNames.Length)];
            // Large organisations run out of names: a number tells namesakes apart, as GitHub does.
            var login = attempt < 20 ? $"{given.ToLowerInvariant()}-{family.ToLowerInvariant()}"
                : $"{given.ToLowerInvariant()}-{family.ToLowerInvariant()}{used.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
            if (used.Add(login))
            {
                return new GitHubUser(login, $"{given} {family}", $"{login}@{owner}.example.com");
            }
        }
    }
}
