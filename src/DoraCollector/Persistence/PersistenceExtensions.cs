using System.Data.Common;
using DoraCollector.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DoraCollector.Persistence;

internal static class PersistenceExtensions
{
    /// <summary>
    /// One <see cref="NpgsqlDataSource"/> for Dapper and Quartz; the migrator and the
    /// startup that waits for the database and applies pending migrations.
    /// </summary>
    public static IHostApplicationBuilder AddPersistence(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddValidatedOptions<DatabaseOptions, DatabaseOptionsValidator>(DatabaseOptions.Section)
            .Configure<IConfiguration>((o, config) => o.ConnectionString = config[DatabaseOptions.ConnectionStringKey] ?? "");

        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var dataSource = new NpgsqlDataSourceBuilder(options.ConnectionString);
            ConnectionDefaults.Apply(dataSource.ConnectionStringBuilder, options.ConnectionString);
            dataSource.UseLoggerFactory(sp.GetRequiredService<ILoggerFactory>());
            return dataSource.Build();
        });
        services.AddSingleton<DbDataSource>(sp => sp.GetRequiredService<NpgsqlDataSource>());

        services.AddSingleton(MigrationSet.Embedded());
        services.AddSingleton<SqlMigrator>();
        services.AddHostedService<DatabaseStartup>();
        DapperSetup.Configure();
        return builder;
    }
}
