using Microsoft.Extensions.Options;

namespace DoraCollector.Hosting;

internal static class OptionsRegistration
{
    /// <summary>Binds a configuration section, validates it with its validator and checks it at start.</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(
        this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        return services.AddValidatedOptions<TOptions>(section);
    }

    /// <summary>Binds a section whose only possible problem is a value that cannot be read (a bool, a number).</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string section)
        where TOptions : class
    {
        services.AddSingleton(new ValidatedOptions(typeof(TOptions)));
        return services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
    }
}

/// <summary>An options type that <see cref="StartupValidation"/> checks before anything starts.</summary>
internal sealed record ValidatedOptions(Type OptionsType);
