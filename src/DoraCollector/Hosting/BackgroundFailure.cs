namespace DoraCollector.Hosting;

/// <summary>
/// Background loops retry what they expect to fail (a lost database, see <see cref="RetryPause"/>)
/// and never end by themselves. One that ends with an exception all the same is broken: it stops
/// the host, and <c>serve</c> exits non-zero so that the supervisor (Kubernetes, Compose) starts a
/// fresh process, rather than leaving one that answers without mapping anything.
/// </summary>
internal static class BackgroundFailure
{
    public static IHostApplicationBuilder StopOnBackgroundFailure(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<HostOptions>(o => o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost);
        return builder;
    }

    /// <summary>
    /// Taken before the host runs (running disposes it): tells, once it has stopped, whether one
    /// of its background services ended with an exception.
    /// </summary>
    public static Func<bool> Watch(IServiceProvider services)
    {
        var background = services.GetServices<IHostedService>().OfType<BackgroundService>().ToList();
        return () => background.Any(s => s.ExecuteTask is { IsFaulted: true });
    }
}
