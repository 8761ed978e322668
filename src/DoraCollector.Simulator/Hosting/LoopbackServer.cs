using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DoraCollector.Simulator.Hosting;

/// <summary>A small web server on a loopback port (HTTPS with a certificate), for the fakes of upstream APIs.</summary>
internal static class LoopbackServer
{
    /// <param name="port">0 for any free port.</param>
    public static async Task<(WebApplication App, Uri Url)> StartAsync(
        Action<WebApplication> map, X509Certificate2? certificate = null, int port = 0, CancellationToken ct = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, EmbeddedLifetime>();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }));
        var app = builder.Build();
        map(app);
        await app.StartAsync(ct);
        return (app, new Uri(app.Urls.Single().TrimEnd('/') + "/"));
    }
}
