using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DoraCollector.IntegrationTests.Infrastructure;

/// <summary>
/// The real service in-process on a test database, scheduling off unless a test turns it on.
/// Settings are host settings, so they win over appsettings.json and the environment.
/// </summary>
internal sealed class CollectorFactory(
    string connectionString,
    IReadOnlyDictionary<string, string?>? settings = null,
    Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Dora", connectionString);
        builder.UseSetting("Dora:Scheduling:Enabled", "false");
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        if (services is not null)
        {
            builder.ConfigureServices(services);
        }
    }
}
