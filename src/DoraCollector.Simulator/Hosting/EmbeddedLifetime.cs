using Microsoft.Extensions.Hosting;

namespace DoraCollector.Simulator.Hosting;

/// <summary>
/// The lifetime of a fake server embedded in a program: it starts and stops when the program says
/// so, and leaves Ctrl+C and SIGTERM to the program (a console lifetime would take them for itself
/// and keep the program running).
/// </summary>
internal sealed class EmbeddedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
