using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace DoraCollector.Catalog;

/// <summary>
/// Reads the catalog file named by <c>Dora:Catalog:File</c>: YAML (or JSON, which is YAML) with a
/// <c>services:</c> list of the same shape as <c>Dora:Catalog:Services</c>:
/// <code>
/// services:
///   - name: checkout
///     team: payments
///     repository: acme/shop
///     path: services/checkout
///     argoCdApplications: [checkout-production]
///     fluxObjects: [apps/checkout]
///     alertLabelValues: [checkout]
///     images: [ghcr.io/acme/checkout]
/// </code>
/// </summary>
internal static class CatalogFile
{
    private static readonly IDeserializer Reader = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithCaseInsensitivePropertyMatching()
        .Build();

    /// <summary>The services of the file, or the reason it cannot be read.</summary>
    public static (IReadOnlyList<CatalogService> Services, string? Error) Read(string path)
    {
        try
        {
            var document = Reader.Deserialize<Document?>(File.ReadAllText(path));
            return (document?.Services ?? [], null);
        }
        catch (YamlException e)
        {
            return ([], $"line {e.Start.Line}: {(e.InnerException ?? e).Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ([], $"cannot be read ({e.GetType().Name})");
        }
    }

    private sealed class Document
    {
        public List<CatalogService> Services { get; set; } = [];
    }
}
