using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace DoraCollector.Digests;

/// <summary>
/// Sends one digest to one receiver. Failures throw; their messages name the receiver's kind and
/// the HTTP status or SMTP reply, never a webhook URL or a password.
/// </summary>
internal sealed class DigestTransports(IHttpClientFactory http, IOptionsMonitor<DigestOptions> options)
{
    public const string HttpClientName = "digests";

    public Task SendAsync(DigestTarget target, DigestMessage message, CancellationToken ct) => target.Kind switch
    {
        DigestTarget.Slack => PostAsync(target, new { text = message.Markdown }, ct),
        DigestTarget.Teams => PostAsync(target, TeamsCard(message), ct),
        DigestTarget.Webhook => PostAsync(target, message.Json, ct),
        DigestTarget.Email => MailAsync(target.Address, message, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(target), target.Kind, "not a digest receiver"),
    };

    // A Teams workflow posts the attachments' Adaptive Card to the channel it was made for.
    private static object TeamsCard(DigestMessage message) => new
    {
        type = "message",
        attachments = new[]
        {
            new
            {
                contentType = "application/vnd.microsoft.card.adaptive",
                contentUrl = (string?)null,
                content = new Dictionary<string, object>
                {
                    ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
                    ["type"] = "AdaptiveCard",
                    ["version"] = "1.4",
                    ["body"] = new object[]
                    {
                        new { type = "TextBlock", text = message.Subject, weight = "Bolder", size = "Medium", wrap = true },
                        new { type = "TextBlock", text = message.Markdown, wrap = true },
                    },
                    ["actions"] = new object[] { new { type = "Action.OpenUrl", title = "Full report", url = message.ReportUrl } },
                },
            },
        },
    };

    private async Task PostAsync(DigestTarget target, object body, CancellationToken ct)
    {
        using var client = http.CreateClient(HttpClientName);
        HttpResponseMessage response;
        try
        {
            response = await client.PostAsJsonAsync(target.Address, body, ct);
        }
        catch (HttpRequestException e)
        {
            // The message names the host at most; the path, where webhook secrets live, never.
            throw new DigestSendException($"{target.Label}: {e.HttpRequestError} ({e.InnerException?.GetType().Name ?? e.GetType().Name})", e);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new DigestSendException($"{target.Label}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }
        }
    }

    // The host name must match; the chain may end at the configured certificate instead of a system root.
    private static bool ChainsTo(X509Certificate2 root, X509Certificate? presented, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var certificate = new X509Certificate2(presented);
        return chain.Build(certificate);
    }

    private async Task MailAsync(string to, DigestMessage message, CancellationToken ct)
    {
        var smtp = options.CurrentValue.Smtp;
        var mail = new MimeMessage();
        mail.From.Add(MailboxAddress.Parse(smtp.From!));
        mail.To.Add(MailboxAddress.Parse(to));
        mail.Subject = message.Subject;
        mail.Body = new BodyBuilder { TextBody = message.Markdown, HtmlBody = message.Html }.ToMessageBody();

        using var client = new SmtpClient();
        if (smtp.TrustedCertificateFile is { } trusted)
        {
            var root = X509CertificateLoader.LoadCertificateFromFile(trusted);
            client.ServerCertificateValidationCallback = (_, certificate, _, errors) => ChainsTo(root, certificate, errors);
        }

        try
        {
            var security = smtp.Security switch
            {
                "SslOnConnect" => SecureSocketOptions.SslOnConnect,
                "None" => SecureSocketOptions.None,
                _ => SecureSocketOptions.StartTls,
            };
            await client.ConnectAsync(smtp.Host!, smtp.Port, security, ct);
            if (!string.IsNullOrEmpty(smtp.Username))
            {
                await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", ct);
            }

            await client.SendAsync(mail, ct);
            await client.DisconnectAsync(quit: true, ct);
        }
        catch (Exception e) when (e is MailKit.ProtocolException or MailKit.CommandException or System.Net.Sockets.SocketException
                                      or NotSupportedException   // no STARTTLS, or no authentication mechanism in common
                                      or AuthenticationException or System.Security.Authentication.AuthenticationException or IOException)
        {
            // SMTP replies and socket errors name no password; the exception's type and reply are enough to act on.
            throw new DigestSendException($"email:{to}: {e.GetType().Name}: {e.Message}", e);
        }
    }
}

/// <summary>A receiver refused or could not be reached; the message is safe to log and store.</summary>
internal sealed class DigestSendException(string message, Exception? inner = null) : Exception(message, inner);
