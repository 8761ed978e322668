using System.Globalization;
using DoraCollector.IntegrationTests.Infrastructure;

namespace DoraCollector.IntegrationTests.Reports;

/// <summary>
/// A fixed organisation over the twelve ISO weeks 2025-W51 … 2026-W10, posted through the generic
/// API so pages and <c>/api/v1/metrics</c> come from the same engine. The clock stands at
/// <see cref="Now"/>, Monday 2026-03-09 00:00 UTC: the 7d window is exactly week 2026-W10 and the
/// 30d window is (2026-02-07, 2026-03-09].
/// <list type="bullet">
/// <item>team payments: checkout (production, staging every other week; a rollout that never went live every fourth week) and ledger (a hotfix every fifth week)</item>
/// <item>team platform: gateway (production, nothing in every fourth week)</item>
/// <item>a hostile team and service name, a hostile PR title and URL, and a hostile incident title</item>
/// <item>incidents linked to a deployment, one attributed by the rule, one still open at the end</item>
/// <item>a change whose lead time is negative (discarded), an alert no service matched, a stale source</item>
/// </list>
/// </summary>
internal static class ReportDataset
{
    public static readonly DateTimeOffset Now = new(2026, 3, 9, 0, 0, 0, TimeSpan.Zero);

    public const string HostileService = "<script>alert(1)</script>";
    public const string HostileTeam = "\"onmouseover=alert(1) x=\"";
    public const string HostileTitle = "<img src=x onerror=alert(2)>";
    public const string HostileUrl = "https://github.example/acme/evil/pull/7?\"><script>alert(4)</script>";
    public const string HostileIncident = "<b onmouseover=alert(3)>db down</b>";

    /// <summary>Week 0 is 2025-W51; week 11 is 2026-W10, the last week that has ended at <see cref="Now"/>.</summary>
    public static DateTimeOffset WeekStart(int week) => Now.AddDays(-7 * (12 - week));

    public static async Task<EngineHost> StartAsync(bool loopback = false, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var host = await EngineHost.StartAsync(Now, settings, loopback);
        try
        {
            await SeedAsync(host);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    public static async Task SeedAsync(EngineHost host)
    {
        var deployments = new List<object>();
        var incidents = new List<object>();
        var pr = 100;
        var sha = 0x1000;
        for (var week = 0; week < 12; week++)
        {
            var start = WeekStart(week);
            string? firstCheckout = null;
            DateTimeOffset firstCheckoutAt = default;

            var checkouts = 1 + (week * 7 % 4);
            for (var j = 0; j < checkouts; j++)
            {
                var at = start.AddDays(1 + (j * 1.5)).AddHours(10);
                var id = $"checkout-{week}-{j}";
                deployments.Add(Deployment(id, "checkout", "payments", "production", "acme/shop", "success", at,
                    Pr(++pr, "acme/shop", $"Checkout: step {pr}", at, LeadHours(week, j, 1))));
                if (j == 0)
                {
                    (firstCheckout, firstCheckoutAt) = (id, at);
                }
            }

            if (week % 4 == 2)
            {
                deployments.Add(Deployment($"checkout-{week}-broken", "checkout", "payments", "production", "acme/shop", "failure",
                    start.AddDays(2).AddHours(15), Pr(++pr, "acme/shop", "Checkout: broken migration", start.AddDays(2).AddHours(15), 6)));
            }

            if (week % 2 == 0)
            {
                var at = start.AddDays(3).AddHours(9);
                deployments.Add(Deployment($"checkout-staging-{week}", "checkout", "payments", "staging", "acme/shop", "success", at,
                    Pr(++pr, "acme/shop", $"Checkout: try {pr} on staging", at, 3 + week)));
            }

            var ledgers = 1 + (week * 5 % 3);
            for (var j = 0; j < ledgers; j++)
            {
                var at = start.AddDays(2 + j).AddHours(14);
                var hotfix = week % 5 == 1 && j == ledgers - 1 && j > 0;
                deployments.Add(Deployment($"ledger-{week}-{j}", "ledger", "payments", "production", "acme/ledger", "success", at,
                    Pr(++pr, "acme/ledger", hotfix ? "Ledger: hotfix rounding" : $"Ledger: change {pr}", at, LeadHours(week, j, 2), hotfix ? "hotfix" : null)));
            }

            if (week % 4 != 1)
            {
                var gateways = 1 + (week * 3 % 2);
                for (var j = 0; j < gateways; j++)
                {
                    var at = start.AddDays(1 + (j * 3)).AddHours(16);
                    deployments.Add(Deployment($"gateway-{week}-{j}", "gateway", "platform", "production", "acme/gateway", "success", at,
                        Pr(++pr, "acme/gateway", $"Gateway: route {pr}", at, 20 + LeadHours(week, j, 3))));
                }
            }

            if (week % 2 == 1)
            {
                var at = start.AddDays(4).AddHours(11);
                deployments.Add(Deployment($"evil-{week}", HostileService, HostileTeam, "production", "acme/evil", "success", at,
                    Pr(++pr, "acme/evil", HostileTitle, at, 5 + week, url: HostileUrl)));
            }

            if (week % 3 == 1 && firstCheckout is not null)
            {
                var begins = firstCheckoutAt.AddHours(2);
                incidents.Add(new
                {
                    id = $"pd-checkout-{week}", service = "checkout", environment = "production", title = $"Checkout errors week {week}",
                    severity = "critical", startedAt = Iso(begins), resolvedAt = Iso(begins.AddHours(1 + (week % 4))), deploymentId = firstCheckout,
                });
            }
        }

        // The last week: an incident attributed by the rule (no link), one still open at the end,
        // and a change whose commit is dated after its deployment (clock skew: discarded).
        var lastWeek = WeekStart(11);
        incidents.Add(new
        {
            id = "pd-gateway-db", service = "gateway", environment = "production", title = HostileIncident, severity = "page",
            startedAt = Iso(lastWeek.AddDays(1).AddHours(17)), resolvedAt = Iso(lastWeek.AddDays(1).AddHours(20.5)),
        });
        incidents.Add(new
        {
            id = "pd-ledger-open", service = "ledger", environment = "production", title = "Ledger replication lag",
            startedAt = Iso(Now.AddHours(-4)),
        });
        var skewed = lastWeek.AddDays(5).AddHours(12);
        deployments.Add(new
        {
            id = "checkout-skew", service = "checkout", team = "payments", environment = "staging", repository = "acme/shop",
            revision = Sha(++sha), status = "success", finishedAt = Iso(skewed),
            commits = new[] { new { sha = Sha(sha), authoredAt = Iso(skewed.AddHours(1)), message = "commit from a laptop with a fast clock" } },
        });

        await host.IngestAsync("/api/v1/deployments", deployments);
        await host.IngestAsync("/api/v1/incidents", incidents);
        await host.SettleAsync();

        // An alert no service could be matched to, and a polling source that has not succeeded for a day.
        await host.ScalarAsync<int>("""
            INSERT INTO incident_signals (source, external_id, service_hint, environment, title, severity, started_at, resolved_at, updated_at)
            VALUES ('alertmanager', 'fp-1@2026-03-04', 'payments-api', 'production', 'HighErrorRate <unrouted>', 'critical',
                    '2026-03-04T10:00:00Z', '2026-03-04T11:00:00Z', '2026-03-04T11:00:00Z')
            RETURNING 1
            """);
        await host.ScalarAsync<int>("""
            INSERT INTO ingest_cursors (source, scope, position, updated_at, last_success_at, last_error)
            VALUES ('github', 'acme/shop', 'x', '2026-03-08T00:00:00Z', '2026-03-08T00:00:00Z', 'HTTP 502 from api.github.com'),
                   ('argocd', 'checkout', 'y', '2026-03-08T23:59:00Z', '2026-03-08T23:59:00Z', NULL)
            RETURNING 1
            """);
    }

    /// <summary>Lead times that differ from week to week and service to service: 4 to 43 hours.</summary>
    private static double LeadHours(int week, int j, int service) => 4 + (((week * 13) + (j * 7) + (service * 5)) % 40);

    /// <summary>A deployment of the head commit of one pull request.</summary>
    private static object Deployment(string id, string service, string team, string environment, string repository,
        string status, DateTimeOffset finishedAt, (string Sha, object Commit) change) =>
        new { id, service, team, environment, repository, revision = change.Sha, status, finishedAt = Iso(finishedAt), commits = new[] { change.Commit } };

    /// <summary>A pull request merged as one commit: first commit <paramref name="leadHours"/> before the deployment,
    /// opened a quarter of the way, merged at 70 %.</summary>
    private static (string Sha, object Commit) Pr(int number, string repository, string title, DateTimeOffset deployedAt, double leadHours, string? label = null, string? url = null)
    {
        var first = deployedAt.AddHours(-leadHours);
        var sha = Sha(0x900000 + number);
        return (sha, new
        {
            sha,
            authoredAt = Iso(first),
            pullRequest = new
            {
                number, title, url = url ?? $"https://github.example/{repository}/pull/{number}",
                openedAt = Iso(first.AddHours(leadHours * 0.25)), mergedAt = Iso(first.AddHours(leadHours * 0.7)),
                labels = label is null ? Array.Empty<string>() : [label],
            },
        });
    }

    private static string Sha(int n) => n.ToString("x8", CultureInfo.InvariantCulture) + "c0ffee";

    private static string Iso(DateTimeOffset instant) => instant.ToString("O", CultureInfo.InvariantCulture);
}
