using DoraCollector.Hosting;
using DoraCollector.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace DoraCollector.Api.Read;

/// <summary>
/// The read API: <c>GET /api/v1/...</c> shows which deployments, changes and incidents make up
/// the numbers. Open by default, like <c>/metrics</c>; <c>Dora:Api:ProtectReads</c> asks for an API key.
/// </summary>
internal static class ReadEndpoints
{
    public static IHostApplicationBuilder AddReadApi(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.TryAddSingleton<SnapshotHolder>();
        services.TryAddSingleton<CollectorTelemetry>();
        services.AddSingleton<ReadFilters>();
        services.AddSingleton<ServiceQueries>();
        services.AddSingleton<DeploymentQueries>();
        services.AddSingleton<ChangeQueries>();
        services.AddSingleton<IncidentQueries>();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new UtcInstantJsonConverter()));
        return builder;
    }

    public static RouteGroupBuilder MapReadApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Read");
        group.AddEndpointFilter<ProtectedReadsFilter>();
        group.AddEndpointFilter<QueryText>();
        group.MapServiceReads();
        group.MapDeploymentReads();
        group.MapChangeReads();
        group.MapIncidentReads();
        group.MapMetricsReads();
        return group;
    }

    /// <summary>
    /// Decides per request, so options are read after startup validation has reported bad values,
    /// and a reloaded setting takes effect.
    /// </summary>
    internal sealed class ProtectedReadsFilter(IOptionsMonitor<ApiOptions> options, CollectorTelemetry telemetry) : IEndpointFilter
    {
        private readonly ApiKeyFilter _apiKey = new(options, telemetry);

        public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
            options.CurrentValue.ProtectReads ? _apiKey.InvokeAsync(context, next) : next(context);
    }
}
