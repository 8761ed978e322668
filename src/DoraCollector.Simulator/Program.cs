using System.Runtime.InteropServices;
using DoraCollector.Simulator.Hosting;

namespace DoraCollector.Simulator;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var stop = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        // Ctrl+C and SIGTERM (docker stop, kill) end the simulation cleanly.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        return await SimulatorCommand.RunAsync(args, Console.Out, Console.Error, stop.Token);
    }
}
