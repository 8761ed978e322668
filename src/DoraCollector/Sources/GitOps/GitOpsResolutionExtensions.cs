using DoraCollector.Projection;

namespace DoraCollector.Sources.GitOps;

internal static class GitOpsResolutionExtensions
{
    /// <summary>
    /// The resolvers of GitOps attempts' application revisions, in docs/metrics.md's order: image
    /// links (explicit), then images and GitOps commits (after the links sources store on attempts).
    /// </summary>
    public static IHostApplicationBuilder AddGitOpsResolution(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IApplicationRevisionResolver, ImageLinkResolver>();
        builder.Services.AddSingleton<IApplicationRevisionResolver, GitOpsRevisionResolver>();
        return builder;
    }
}
