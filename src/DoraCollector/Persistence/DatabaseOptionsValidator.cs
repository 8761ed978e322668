using DoraCollector.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DoraCollector.Persistence;

internal sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add($"{DatabaseOptions.ConnectionStringKey}: is required; set it to a PostgreSQL connection string " +
                       "such as Host=db;Database=dora;Username=dora (environment variable ConnectionStrings__Dora)");
        }
        else
        {
            try
            {
                var parsed = new NpgsqlConnectionStringBuilder(options.ConnectionString);
                if (string.IsNullOrWhiteSpace(parsed.Host))
                {
                    errors.Add($"{DatabaseOptions.ConnectionStringKey}: names no Host");
                }
            }
            catch (ArgumentException e)
            {
                // Npgsql's message names the keyword, never the value, so no password leaks here.
                errors.Add($"{DatabaseOptions.ConnectionStringKey}: is not a valid PostgreSQL connection string ({e.Message})");
            }
        }

        var section = new OptionsErrors(DatabaseOptions.Section);
        section.CheckPositive(options.StartupTimeout, nameof(options.StartupTimeout));
        var result = section.Result;
        if (result.Failed)
        {
            errors.AddRange(result.Failures);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
