namespace DoraCollector.Digests;

/// <summary>
/// <c>Dora:Digests</c>: reports sent by themselves, per team or for the organisation, each on its
/// own cron schedule, to chat webhooks and e-mail (docs/reports.md, "Digests").
/// </summary>
internal sealed class DigestOptions
{
    public const string Section = "Dora:Digests";

    /// <summary>Where the collector's reports are reached from outside, for the digest's link to the full report.</summary>
    public string? ReportBaseUrl { get; set; }

    /// <summary>Sending attempts per receiver and period before the digest is recorded as failed.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The pause after the first failed attempt; it doubles after each one.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    public SmtpOptions Smtp { get; set; } = new();

    public List<DigestSchedule> Schedules { get; set; } = [];
}

/// <summary>One digest: whose numbers, over which period, when, and to whom.</summary>
internal sealed class DigestSchedule
{
    /// <summary>Unique, lower-case letters, digits and dashes: it names the Quartz job and the sent records.</summary>
    public string Name { get; set; } = "";

    /// <summary>The team whose report is sent; empty for the organisation.</summary>
    public string? Team { get; set; }

    /// <summary><c>week</c> or <c>month</c>: the digest covers the last complete one before it fires.</summary>
    public string Period { get; set; } = "week";

    /// <summary>A Quartz cron expression, UTC: <c>0 0 8 ? * MON</c> is Mondays at 08:00.</summary>
    public string Cron { get; set; } = "";

    /// <summary>A Slack incoming webhook URL (secret).</summary>
    public string? SlackWebhookUrl { get; set; }

    /// <summary>A Microsoft Teams workflow ("When a Teams webhook request is received") URL (secret).</summary>
    public string? TeamsWebhookUrl { get; set; }

    /// <summary>Any URL that takes a JSON POST (secret).</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>E-mail recipients, over <c>Dora:Digests:Smtp</c>.</summary>
    public List<string> EmailTo { get; set; } = [];
}

internal sealed class SmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary><c>StartTls</c> (the default: refuse a server that cannot), <c>SslOnConnect</c> (port 465) or <c>None</c>.</summary>
    public string Security { get; set; } = "StartTls";

    public string? Username { get; set; }

    /// <summary>Secret: never logged.</summary>
    public string? Password { get; set; }

    public string? From { get; set; }

    /// <summary>
    /// A PEM certificate file the server's certificate must chain to, for a relay with a private CA
    /// (or its own self-signed certificate); without it the system's trusted roots decide. The host
    /// name is checked either way.
    /// </summary>
    public string? TrustedCertificateFile { get; set; }
}
