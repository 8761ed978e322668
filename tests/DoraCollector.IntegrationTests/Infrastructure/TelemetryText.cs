using System.Text;
using DoraCollector.Hosting;

namespace DoraCollector.IntegrationTests.Infrastructure;

internal static class TelemetryText
{
    /// <summary>The collector's registry as <c>/metrics</c> renders it: sample lines, each ending in a newline.</summary>
    public static async Task<string> RenderAsync(this CollectorTelemetry telemetry)
    {
        using var text = new MemoryStream();
        await telemetry.Registry.CollectAndExportAsTextAsync(text, CancellationToken.None);
        return Encoding.UTF8.GetString(text.ToArray());
    }
}
