using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;

namespace DoraCollector.IntegrationTests.Infrastructure;

internal static class LoopbackHosting
{
    /// <summary>
    /// Serves the in-process collector with Kestrel on a free loopback port instead of the test
    /// server, for clients that need a real socket (a Prometheus scraping it), and returns its
    /// address. The test keeps the factory's services, so it can still publish a snapshot.
    /// </summary>
    public static Uri StartOnLoopback(this CollectorFactory factory)
    {
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        return new Uri(addresses.Single());
    }
}
