using Microsoft.Extensions.Diagnostics.HealthChecks;
using DoraCollector.Hosting;
using Npgsql;

namespace DoraCollector.Persistence;

/// <summary>Readiness: the database answers and its schema is what this build expects.</summary>
internal sealed class SchemaHealthCheck(SqlMigrator migrator) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var status = await migrator.GetStatusAsync(cancellationToken);
            return status.IsCurrent
                ? HealthCheckResult.Healthy($"database reachable; {status.Describe()}")
                : HealthCheckResult.Unhealthy($"database reachable; {status.Describe()}");
        }
        catch (Exception e) when (e is NpgsqlException || TransientFailures.IsTransient(e))
        {
            // The exception message is enough for an operator and never holds the password.
            return HealthCheckResult.Unhealthy($"database unreachable: {e.Message}");
        }
    }
}
