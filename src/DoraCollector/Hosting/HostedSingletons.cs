namespace DoraCollector.Hosting;

internal static class HostedSingletons
{
    /// <summary>A background worker that tests and verbs can also call directly.</summary>
    public static IServiceCollection AddHostedSingleton<T>(this IServiceCollection services)
        where T : class, IHostedService
    {
        services.AddSingleton<T>();
        services.AddHostedService(sp => sp.GetRequiredService<T>());
        return services;
    }
}
