using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DoraCollector.IntegrationTests.Infrastructure;

/// <summary>
/// What every test and benchmark does with a server it starts as a process of its own (the
/// collector, Prometheus, Alertmanager): give it a free loopback port, then wait until its
/// readiness endpoint answers 200, failing with its output when it exits or never gets ready.
/// </summary>
internal static class LoopbackProcess
{
    /// <summary>A loopback port free at this moment, for a process the test starts.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Polls <paramref name="path"/> on <paramref name="http"/> until it answers 200.</summary>
    /// <param name="name">The process, as the error names it.</param>
    /// <param name="output">What the process wrote, for the error.</param>
    public static async Task WaitUntilReadyAsync(Process process, HttpClient http, string path, string name, TimeSpan timeout, Func<string> output)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                // Waiting again drains the redirected output, so the message holds all of it.
                await process.WaitForExitAsync();
                throw new InvalidOperationException($"{name} exited with {process.ExitCode}:\n{output()}");
            }

            try
            {
                using var response = await http.GetAsync(path);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"{name} was not ready within {timeout}:\n{output()}");
            }

            await Task.Delay(100);
        }
    }
}
