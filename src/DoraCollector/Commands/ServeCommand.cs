using DoraCollector.Hosting;
using DoraCollector.Persistence;

namespace DoraCollector.Commands;

internal static class ServeCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        await using var app = CollectorApp.Build(args);
        if (!StartupValidation.Report(app.Services, Console.Error))
        {
            return ExitCodes.InvalidConfiguration;
        }

        try
        {
            await app.RunAsync();
            return BackgroundFailure.StoppedTheHost(app.Services) ? ExitCodes.Failure : ExitCodes.Ok;
        }
        catch (MigrationException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failure;
        }
    }
}
