using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace DoraCollector.IntegrationTests.Digests;

/// <summary>
/// The smallest SMTP server a client can send through: EHLO with AUTH PLAIN and LOGIN, MAIL,
/// RCPT, DATA, QUIT, on a free loopback port, and STARTTLS when it has a certificate. It keeps each
/// message, whether it came over TLS, and the credentials given.
/// </summary>
internal sealed class LoopbackSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly X509Certificate2? _certificate;

    public LoopbackSmtpServer(X509Certificate2? certificate = null)
    {
        _certificate = certificate;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public ConcurrentQueue<(string From, List<string> To, string Data, bool Tls)> Messages { get; } = new();

    /// <summary>"user\0password" as AUTH PLAIN or LOGIN gave them.</summary>
    public ConcurrentQueue<string> Logins { get; } = new();

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        Stream stream = client.GetStream();
        var reader = new StreamReader(stream, Encoding.ASCII);
        var writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
        var tls = false;
        await writer.WriteLineAsync("220 localhost ESMTP test");
        string from = "";
        var to = new List<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ')[0].ToUpperInvariant();
            switch (verb)
            {
                case "EHLO":
                    await writer.WriteLineAsync("250-localhost");
                    if (_certificate is not null && !tls)
                    {
                        await writer.WriteLineAsync("250-STARTTLS");
                    }

                    await writer.WriteLineAsync("250-AUTH PLAIN LOGIN");
                    await writer.WriteLineAsync("250 8BITMIME");
                    break;
                case "STARTTLS" when _certificate is not null:
                    await writer.WriteLineAsync("220 2.0.0 Ready to start TLS");
                    var secure = new SslStream(stream);
                    await secure.AuthenticateAsServerAsync(_certificate);
                    stream = secure;
                    reader = new StreamReader(stream, Encoding.ASCII);
                    writer = new StreamWriter(stream, Encoding.ASCII) { NewLine = "\r\n", AutoFlush = true };
                    tls = true;
                    break;
                case "HELO":
                    await writer.WriteLineAsync("250 localhost");
                    break;
                case "AUTH" when line.Split(' ') is [_, var mechanism, ..] && mechanism.Equals("PLAIN", StringComparison.OrdinalIgnoreCase):
                    var plain = line.Split(' ') is [_, _, var inline] ? inline : await Challenge(writer, reader, "");
                    var parts = Encoding.UTF8.GetString(Convert.FromBase64String(plain)).Split('\0');
                    Logins.Enqueue($"{parts[1]}\0{parts[2]}");
                    await writer.WriteLineAsync("235 2.7.0 Authentication successful");
                    break;
                case "AUTH":
                    var user = Encoding.UTF8.GetString(Convert.FromBase64String(
                        line.Split(' ') is [_, _, var first] ? first : await Challenge(writer, reader, "VXNlcm5hbWU6")));
                    var password = Encoding.UTF8.GetString(Convert.FromBase64String(await Challenge(writer, reader, "UGFzc3dvcmQ6")));
                    Logins.Enqueue($"{user}\0{password}");
                    await writer.WriteLineAsync("235 2.7.0 Authentication successful");
                    break;
                case "MAIL":
                    from = line[(line.IndexOf(':') + 1)..].Trim().Split(' ')[0].Trim('<', '>');
                    to = [];
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "RCPT":
                    to.Add(line[(line.IndexOf(':') + 1)..].Trim().Split(' ')[0].Trim('<', '>'));
                    await writer.WriteLineAsync("250 OK");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("354 End data with <CR><LF>.<CR><LF>");
                    var data = new StringBuilder();
                    while (await reader.ReadLineAsync() is { } dataLine && dataLine != ".")
                    {
                        data.Append(dataLine.StartsWith("..", StringComparison.Ordinal) ? dataLine[1..] : dataLine).Append("\r\n");
                    }

                    Messages.Enqueue((from, to, data.ToString(), tls));
                    await writer.WriteLineAsync("250 OK queued");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 Bye");
                    return;
                default:
                    await writer.WriteLineAsync("250 OK");
                    break;
            }
        }
    }

    private static async Task<string> Challenge(StreamWriter writer, StreamReader reader, string prompt)
    {
        await writer.WriteLineAsync($"334 {prompt}");
        return (await reader.ReadLineAsync())!.Trim();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
