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

        app.Services.GetRequiredService<ConfiguredSources>().Log(app.Logger);

        try
        {
            var stoppedByFailure = BackgroundFailure.Watch(app.Services);
            await app.RunAsync();
            return stoppedByFailure() ? ExitCodes.Failure : ExitCodes.Ok;
        }
        catch (MigrationException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failure;
        }
    }
}
