using System.Text.RegularExpressions;
using DoraCollector.Hosting;
using Microsoft.Extensions.Options;
using Quartz;

namespace DoraCollector.Digests;

/// <summary>Checks <c>Dora:Digests</c> at startup; a webhook URL is a secret, so a message never repeats it.</summary>
internal sealed partial class DigestOptionsValidator : IValidateOptions<DigestOptions>
{
    public static readonly string[] Securities = ["StartTls", "SslOnConnect", "None"];

    public ValidateOptionsResult Validate(string? name, DigestOptions options)
    {
        var errors = new OptionsErrors(DigestOptions.Section);
        errors.Check(options.MaxAttempts is >= 1 and <= 20, nameof(options.MaxAttempts), "must be between 1 and 20");
        errors.CheckPositive(options.FirstRetryDelay, nameof(options.FirstRetryDelay));
        if (options.Schedules.Count > 0)
        {
            errors.CheckUrl(options.ReportBaseUrl, nameof(options.ReportBaseUrl), required: true);
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.Schedules.Count; i++)
        {
            var s = options.Schedules[i];
            var key = $"Schedules:{i}";
            errors.Check(SlugPattern().IsMatch(s.Name), $"{key}:Name", "is required: lower-case letters, digits and dashes, at most 60");
            errors.Check(names.Add(s.Name), $"{key}:Name", $"'{s.Name}' is used by another schedule");
            errors.Check(s.Period is "week" or "month", $"{key}:Period", "must be week or month");
            errors.Check(IsCron(s.Cron), $"{key}:Cron", "is not a Quartz cron expression (e.g. '0 0 8 ? * MON')");
            errors.Check(s.Team is null || s.Team.Trim().Length > 0, $"{key}:Team", "must not be blank (leave it out for the organisation)");
            SecretUrl(errors, s.SlackWebhookUrl, $"{key}:SlackWebhookUrl");
            SecretUrl(errors, s.TeamsWebhookUrl, $"{key}:TeamsWebhookUrl");
            SecretUrl(errors, s.WebhookUrl, $"{key}:WebhookUrl");
            for (var j = 0; j < s.EmailTo.Count; j++)
            {
                errors.Check(MailboxAddressPattern().IsMatch(s.EmailTo[j]), $"{key}:EmailTo:{j}", $"'{s.EmailTo[j]}' is not an e-mail address");
            }

            errors.Check(Targets(s).Any(), key, "sends nowhere: set SlackWebhookUrl, TeamsWebhookUrl, WebhookUrl or EmailTo");
        }

        if (options.Schedules.Any(s => s.EmailTo.Count > 0))
        {
            var smtp = options.Smtp;
            errors.Check(!string.IsNullOrWhiteSpace(smtp.Host), "Smtp:Host", "is required to send digests by e-mail");
            errors.Check(smtp.From is not null && MailboxAddressPattern().IsMatch(smtp.From), "Smtp:From", "is required to send digests by e-mail: an address");
            errors.Check(smtp.Port is >= 1 and <= 65535, "Smtp:Port", "must be between 1 and 65535");
            errors.Check(Securities.Contains(smtp.Security), "Smtp:Security", "must be StartTls, SslOnConnect or None");
            errors.Check(string.IsNullOrEmpty(smtp.Password) || !string.IsNullOrEmpty(smtp.Username), "Smtp:Username", "is required with a password");
            errors.Check(smtp.TrustedCertificateFile is null || File.Exists(smtp.TrustedCertificateFile), "Smtp:TrustedCertificateFile",
                $"'{smtp.TrustedCertificateFile}' does not exist");
        }

        return errors.Result;
    }

    /// <summary>Where a schedule sends: one receiver per kind, and one per e-mail recipient.</summary>
    public static IEnumerable<DigestTarget> Targets(DigestSchedule s)
    {
        if (!string.IsNullOrWhiteSpace(s.SlackWebhookUrl))
        {
            yield return new DigestTarget(DigestTarget.Slack, s.SlackWebhookUrl);
        }

        if (!string.IsNullOrWhiteSpace(s.TeamsWebhookUrl))
        {
            yield return new DigestTarget(DigestTarget.Teams, s.TeamsWebhookUrl);
        }

        if (!string.IsNullOrWhiteSpace(s.WebhookUrl))
        {
            yield return new DigestTarget(DigestTarget.Webhook, s.WebhookUrl);
        }

        foreach (var to in s.EmailTo)
        {
            yield return new DigestTarget(DigestTarget.Email, to);
        }
    }

    public static bool IsCron(string expression)
    {
        if (string.IsNullOrWhiteSpace(expression))
        {
            return false;
        }

        try
        {
            _ = CronExpression.Parse(expression);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static void SecretUrl(OptionsErrors errors, string? value, string key)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            var ok = Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
            errors.Check(ok, key, "is not an absolute http(s) URL (the value is a secret and is not repeated here)");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,59}$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex(@"^[^@\s<>]+@[^@\s<>]+$")]
    private static partial Regex MailboxAddressPattern();
}

/// <summary>One receiver of a digest. <see cref="Address"/> is a secret for webhooks: only <see cref="Label"/> is logged or stored.</summary>
internal sealed record DigestTarget(string Kind, string Address)
{
    public const string Slack = "slack";
    public const string Teams = "teams";
    public const string Webhook = "webhook";
    public const string Email = "email";

    /// <summary>What the sent records and logs name: the kind, and the recipient for e-mail (not a secret).</summary>
    public string Label => Kind == Email ? $"email:{Address}" : Kind;
}
