using DoraCollector.Hosting;

namespace DoraCollector.Catalog;

internal static class CatalogExtensions
{
    /// <summary>The catalog section (validated) and its sync into the catalog tables at start.</summary>
    public static IHostApplicationBuilder AddCatalog(this IHostApplicationBuilder builder)
    {
        builder.Services.AddValidatedOptions<CatalogOptions, CatalogOptionsValidator>(CatalogOptions.Section);
        builder.Services.AddSingleton<CatalogSync>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CatalogSync>());
        return builder;
    }
}
