using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace DoraCollector.IntegrationTests.Digests;

/// <summary>
/// An HTTP receiver on a free loopback port that keeps every request body it accepts and answers
/// 500 to the first <c>failures</c> requests, like a webhook that is down and then recovers.
/// </summary>
internal sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _failuresLeft;

    public LoopbackReceiver(int failures = 0)
    {
        _failuresLeft = failures;
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}/hooks/secret-token-{Guid.NewGuid():N}";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The webhook URL, with a secret in its path as Slack's and Teams' have.</summary>
    public string Url { get; }

    public ConcurrentQueue<string> Received { get; } = new();

    public int Requests => _requests;

    private int _requests;

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Interlocked.Increment(ref _requests);
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            if (Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                context.Response.StatusCode = 500;
            }
            else
            {
                Received.Enqueue(body);
                context.Response.StatusCode = 200;
            }

            context.Response.Close();
        }
    }

    internal static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
