using DoraCollector.Projection;

namespace DoraCollector.Sources.GitOps;

internal static class GitOpsResolutionExtensions
{
    /// <summary>The resolver of GitOps attempts' application revisions from images and GitOps commits (after explicit links).</summary>
    public static IHostApplicationBuilder AddGitOpsResolution(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IApplicationRevisionResolver, GitOpsRevisionResolver>();
        return builder;
    }
}
