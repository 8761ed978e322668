using DoraCollector.Api;
using DoraCollector.Exposition;
using DoraCollector.Metrics;

namespace DoraCollector.Hosting;

internal static class ConfigurationSections
{
    /// <summary>Binds and validates every <c>Dora:*</c> section, so a bad value anywhere stops the start.</summary>
    public static IHostApplicationBuilder AddConfigurationSections(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<MetricsOptions, MetricsOptionsValidator>(MetricsOptions.Section);
        services.AddValidatedOptions<PublishOptions, PublishOptionsValidator>(PublishOptions.Section);
        services.AddValidatedOptions<ApiOptions, ApiOptionsValidator>(ApiOptions.Section);
        return builder;
    }
}
