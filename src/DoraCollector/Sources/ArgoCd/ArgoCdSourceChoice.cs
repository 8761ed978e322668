namespace DoraCollector.Sources.ArgoCd;

/// <summary>
/// Which source of a multi-source Application is the service's: the one whose repository is the
/// service's (catalog), else the first Git source with a path that is not a value-file
/// reference, else the first Git source. Chart sources give a chart version, never commits.
/// </summary>
internal static class ArgoCdSourceChoice
{
    public static int Index(IReadOnlyList<ArgoSource> sources, string? serviceRepository)
    {
        if (serviceRepository is not null)
        {
            for (var i = 0; i < sources.Count; i++)
            {
                if (RepositoryUrls.IsGit(sources[i]) && RepositoryUrls.Normalize(sources[i].RepoUrl) == serviceRepository)
                {
                    return i;
                }
            }
        }

        return First(sources, s => RepositoryUrls.IsGit(s) && !string.IsNullOrEmpty(s.Path) && string.IsNullOrEmpty(s.Ref))
               ?? First(sources, s => RepositoryUrls.IsGit(s) && string.IsNullOrEmpty(s.Ref))
               ?? First(sources, RepositoryUrls.IsGit)
               ?? 0;
    }

    /// <summary>The chosen source of the Application's spec (what it deploys from now).</summary>
    public static ArgoSource? Current(ArgoApplication app, string? serviceRepository)
    {
        var sources = ArgoCdRollouts.SourcesOf(app.Spec?.Sources, app.Spec?.Source);
        return sources.Count == 0 ? null : sources[Index(sources, serviceRepository)];
    }

    private static int? First(IReadOnlyList<ArgoSource> sources, Func<ArgoSource, bool> predicate)
    {
        for (var i = 0; i < sources.Count; i++)
        {
            if (predicate(sources[i]))
            {
                return i;
            }
        }

        return null;
    }
}
