using DoraCollector.IntegrationTests.Infrastructure;
using DoraCollector.Reports;
using Microsoft.Playwright;

namespace DoraCollector.IntegrationTests.Reports;

/// <summary>
/// The report pages in a real browser (Debian's headless Chromium) over a real socket, with
/// JavaScript off: what a manager sees on a laptop, a phone and on paper. Screenshots and PDFs are
/// left under the test output's <c>artifacts/</c> folder for people to look at.
/// </summary>
public sealed class ReportBrowserTests
{
    private static readonly string[] Sections =
        ["production", "staging", "Teams", "Slowest changes", "Failed deployments", "Incidents", "Data quality"];

    [Fact]
    public async Task The_organisation_and_a_team_report_render_their_key_elements_without_script()
    {
        await using var host = await ReportDataset.StartAsync(loopback: true);
        await using var chromium = await Chromium.LaunchAsync();
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1366, Height = 768 },
            JavaScriptEnabled = false,
        });
        var page = await context.NewPageAsync();
        var dialogs = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            dialogs.Add(dialog.Message);
            _ = dialog.DismissAsync();
        };

        var response = await page.GotoAsync(new Uri(host.Address!, "/reports?period=week&date=2026-03-02").ToString());

        Assert.Equal(200, response!.Status);
        Assert.Equal("Delivery report: the organisation, week 2026-W10", await page.TitleAsync());
        Assert.Equal("Delivery report: the organisation", await page.Locator("h1").InnerTextAsync());
        var headings = await page.Locator("h2").AllInnerTextsAsync();
        Assert.Equal(Sections.Length, headings.Count);
        Assert.All(Sections.Zip(headings), pair => Assert.StartsWith(pair.First, pair.Second, StringComparison.Ordinal));
        Assert.Equal(0, await page.Locator("script").CountAsync());
        Assert.Equal(2 * ReportMetric.Headlines.Count, await page.Locator("svg.trend[role=img]").CountAsync());
        Assert.Equal(await page.Locator("table").CountAsync(), await page.Locator("table > caption").CountAsync());
        // The first card's level, or why there is none: this small organisation's week is too few deployments to be sure of one.
        Assert.Matches(@"^(ELITE|HIGH|MEDIUM|LOW|not enough data \(n = \d+\))$", await page.Locator(".card .level, .card .not-enough").First.InnerTextAsync());
        Assert.Matches(@"^95 %: .+, n = \d+$", await page.Locator(".card p.interval").First.InnerTextAsync());

        // Hostile names are text: a link named exactly like the team, and no alert fired.
        var hostileTeam = page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = ReportDataset.HostileTeam, Exact = true });
        Assert.Equal(1, await hostileTeam.CountAsync());
        Assert.Contains(ReportDataset.HostileService, await page.Locator("#changes-table").Locator("..").InnerTextAsync());

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ArtifactPath("report-organisation-first-screen.png") });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ArtifactPath("report-organisation.png"), FullPage = true });
        await page.PdfAsync(new PagePdfOptions { Path = Chromium.ArtifactPath("report-organisation.pdf"), Format = "A4" });

        // Printed, the navigation and downloads give way to the numbers.
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        Assert.False(await page.Locator("nav.periods").IsVisibleAsync());
        Assert.False(await page.Locator("nav.downloads").IsVisibleAsync());
        Assert.True(await page.Locator("svg.trend").First.IsVisibleAsync());
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Screen });

        // From the organisation to a team by following its link: plain navigation, no script.
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = "payments", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/reports/teams/payments?period=week&date=2026-03-02");
        Assert.Equal("Delivery report: team payments", await page.Locator("h1").InnerTextAsync());
        Assert.Equal(["checkout", "ledger"], await page.Locator("#breakdown-table").Locator("..").Locator("tbody th a").AllInnerTextsAsync());
        Assert.Equal("Organisation", await page.Locator("nav.crumbs a").First.InnerTextAsync());
        Assert.True(await page.Locator("#changes-table").Locator("..").Locator("a[href^='https://github.example/']").CountAsync() > 0);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ArtifactPath("report-team-payments.png"), FullPage = true });
        await page.PdfAsync(new PagePdfOptions { Path = Chromium.ArtifactPath("report-team-payments.pdf"), Format = "A4" });

        // And on to the previous week by its link.
        await page.Locator("a[rel=prev]").ClickAsync();
        await page.WaitForURLAsync("**/reports/teams/payments?period=week&date=2026-02-23");
        Assert.StartsWith("Week 2026-W09", await page.Locator(".period strong").InnerTextAsync());

        Assert.Empty(dialogs);
    }

    [Fact]
    public async Task On_a_phone_the_cards_stack_and_wide_tables_scroll_inside_the_page()
    {
        await using var host = await ReportDataset.StartAsync(loopback: true);
        await using var chromium = await Chromium.LaunchAsync();
        await using var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            JavaScriptEnabled = false,
        });
        var page = await context.NewPageAsync();

        await page.GotoAsync(new Uri(host.Address!, "/reports/teams/payments?period=month&date=2026-02-01").ToString());

        var cards = page.Locator(".card");
        var first = await cards.Nth(0).BoundingBoxAsync();
        var second = await cards.Nth(1).BoundingBoxAsync();
        Assert.True(second!.Y > first!.Y + first.Height - 1, "cards stack in one column");
        Assert.True(first.Width <= 390, $"a card is {first.Width} px wide");
        var body = await page.Locator("body").BoundingBoxAsync();
        Assert.True(body!.Width <= 390, $"the page is {body.Width} px wide");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Chromium.ArtifactPath("report-team-payments-phone.png") });
    }
}
