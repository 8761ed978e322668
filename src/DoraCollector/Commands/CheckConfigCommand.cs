using DoraCollector.Hosting;

namespace DoraCollector.Commands;

internal static class CheckConfigCommand
{
    /// <summary>Prints the same verdict <c>serve</c> would reach, without connecting to anything.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        await using var app = CollectorApp.Build(args);
        if (!StartupValidation.Report(app.Services, Console.Error))
        {
            return ExitCodes.InvalidConfiguration;
        }

        Console.WriteLine("configuration is valid");
        return ExitCodes.Ok;
    }
}
