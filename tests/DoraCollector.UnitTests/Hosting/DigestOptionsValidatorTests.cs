using DoraCollector.Digests;

namespace DoraCollector.UnitTests.Hosting;

public sealed class DigestOptionsValidatorTests
{
    private static readonly DigestOptionsValidator Validator = new();

    [Fact]
    public void No_schedule_needs_nothing()
    {
        Assert.True(Validator.Validate(null, new DigestOptions()).Succeeded);
    }

    [Fact]
    public void A_complete_schedule_passes()
    {
        var options = Options(new DigestSchedule
        {
            Name = "payments-weekly", Team = "payments", Period = "week", Cron = "0 0 8 ? * MON",
            SlackWebhookUrl = "https://hooks.slack.com/services/T/B/x", EmailTo = ["lead@payments.example"],
        });
        options.Smtp = new SmtpOptions { Host = "smtp.example.com", From = "dora@example.com", Username = "dora", Password = "p" };

        Assert.True(Validator.Validate(null, options).Succeeded, string.Join("; ", Validator.Validate(null, options).Failures ?? []));
    }

    [Fact]
    public void Each_mistake_is_named_by_its_key_and_a_secret_url_is_not_repeated()
    {
        var options = Options(
            new DigestSchedule { Name = "Bad Name", Period = "day", Cron = "every monday", SlackWebhookUrl = "hooks.slack.com/services/T/B/secret" },
            new DigestSchedule { Name = "mail", Period = "month", Cron = "0 0 9 1 * ?", EmailTo = ["nobody"] });
        options.ReportBaseUrl = null;

        var failures = Validator.Validate(null, options).Failures!.ToList();

        Assert.Contains("Dora:Digests:ReportBaseUrl: is required", failures);
        Assert.Contains(failures, f => f.StartsWith("Dora:Digests:Schedules:0:Name: is required", StringComparison.Ordinal));
        Assert.Contains("Dora:Digests:Schedules:0:Period: must be week or month", failures);
        Assert.Contains(failures, f => f.StartsWith("Dora:Digests:Schedules:0:Cron: is not a Quartz cron expression", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Dora:Digests:Schedules:0:SlackWebhookUrl: is not an absolute http(s) URL", StringComparison.Ordinal));
        Assert.DoesNotContain(failures, f => f.Contains("secret", StringComparison.Ordinal) && !f.Contains("is a secret", StringComparison.Ordinal));
        Assert.Contains("Dora:Digests:Schedules:1:EmailTo:0: 'nobody' is not an e-mail address", failures);
        Assert.Contains("Dora:Digests:Smtp:Host: is required to send digests by e-mail", failures);
    }

    [Fact]
    public void A_schedule_that_sends_nowhere_is_refused()
    {
        var failures = Validator.Validate(null, Options(new DigestSchedule { Name = "quiet", Period = "week", Cron = "0 0 8 ? * MON" })).Failures!;

        Assert.Contains("Dora:Digests:Schedules:0: sends nowhere: set SlackWebhookUrl, TeamsWebhookUrl, WebhookUrl or EmailTo", failures);
    }

    [Theory]
    [InlineData("2026-03-10T12:00:00Z", "week", "2026-W10")]   // a Tuesday: the week that ended on Monday
    [InlineData("2026-03-09T08:00:00Z", "week", "2026-W10")]   // Monday morning: the week that just ended
    [InlineData("2026-03-01T09:00:00Z", "month", "2026-02")]
    public void A_digest_covers_the_last_complete_period(string now, string period, string label)
    {
        Assert.Equal(label, DigestContent.LastComplete(period, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)).Label);
    }

    private static DigestOptions Options(params DigestSchedule[] schedules) =>
        new() { ReportBaseUrl = "https://dora.example.com", Schedules = [.. schedules] };
}
