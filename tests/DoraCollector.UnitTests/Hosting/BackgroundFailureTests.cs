using DoraCollector.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DoraCollector.UnitTests.Hosting;

public sealed class BackgroundFailureTests
{
    [Fact]
    public async Task A_background_service_that_throws_stops_the_host_and_is_told_apart()
    {
        using var host = Build<Throwing>();
        var stoppedByFailure = BackgroundFailure.Watch(host.Services);

        await host.RunAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(stoppedByFailure());
    }

    [Fact]
    public async Task A_host_stopped_on_request_is_not_a_failure()
    {
        using var host = Build<Stopping>();
        var stoppedByFailure = BackgroundFailure.Watch(host.Services);

        await host.RunAsync().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(stoppedByFailure());
    }

    private static IHost Build<TService>()
        where TService : class, IHostedService
    {
        var builder = Host.CreateApplicationBuilder();
        builder.StopOnBackgroundFailure();
        builder.Services.AddHostedService<TService>();
        return builder.Build();
    }

    private sealed class Throwing : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("a bug");
        }
    }

    private sealed class Stopping(IHostApplicationLifetime lifetime) : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken)
        {
            lifetime.StopApplication();
            return Task.CompletedTask;
        }
    }
}
