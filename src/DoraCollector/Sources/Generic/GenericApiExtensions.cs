using DoraCollector.Ingestion;

namespace DoraCollector.Sources.Generic;

internal static class GenericApiExtensions
{
    public static IHostApplicationBuilder AddGenericApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IRawEventMapper, GenericMapper>();
        return builder;
    }
}
