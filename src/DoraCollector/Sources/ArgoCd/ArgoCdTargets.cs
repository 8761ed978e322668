using DoraCollector.Catalog;
using DoraCollector.Ingestion;

namespace DoraCollector.Sources.ArgoCd;

/// <summary>The service and environment an Application deploys, and the service's own repository.</summary>
internal sealed record ArgoTarget(int ServiceId, string Environment, string? ServiceRepository);

/// <summary>
/// Finds (or discovers) the service of an Application: a catalog alias naming
/// <c>namespace/name</c> or the name, or naming the ApplicationSet that owns it (so an
/// ApplicationSet generating one Application per cluster is one service, listed once), else the
/// service named by <c>Dora:ArgoCd:ServiceLabel</c>, else one named after the Application. A
/// discovered service is never named after its ApplicationSet: one may generate an Application
/// per environment as well as per cluster, and only the catalog or the label can tell. A discovered service takes the repository and, in a
/// monorepo, the folder its Application deploys from (see <see cref="ServiceFolder"/>).
/// </summary>
internal static class ArgoCdTargets
{
    public static async Task<ArgoTarget> ResolveAsync(ArgoApplication app, DomainWriter writer, ArgoCdOptions options, CancellationToken ct)
    {
        var services = writer.Services;
        var serviceId = await AliasedAsync(app, services, ct);
        if (serviceId is null)
        {
            var source = ArgoCdSourceChoice.Current(app, null);
            int? repositoryId = source is not null && RepositoryUrls.IsGit(source) && RepositoryUrls.Normalize(source.RepoUrl) is { } repository
                ? await services.RepositoryAsync(repository, ct)
                : null;
            serviceId = await services.EnsureAsync(ServiceName(app, options), null, repositoryId, ct);
        }

        var service = await services.ScopeAsync(serviceId.Value, ct);
        await AdoptFolderAsync(app, serviceId.Value, service, writer, options.PathScope, ct);
        return new ArgoTarget(serviceId.Value, ArgoCdEnvironment.Of(app, options), service.Repository);
    }

    /// <summary>The service a catalog alias gives the Application, if any (reads nothing else).</summary>
    public static async Task<int?> AliasedAsync(ArgoApplication app, ServiceDirectory services, CancellationToken ct)
    {
        var name = app.Metadata!.Name!;
        var applicationSet = app.Metadata.OwnerReferences?
            .FirstOrDefault(o => o.Kind == "ApplicationSet" && !string.IsNullOrWhiteSpace(o.Name))?.Name;
        var serviceId = await services.FindByAliasAsync(ServiceAliasKinds.ArgoCdApplication, ArgoCdSnapshot.QualifiedName(app), ct)
                        ?? await services.FindByAliasAsync(ServiceAliasKinds.ArgoCdApplication, name, ct);
        if (serviceId is null && applicationSet is not null)
        {
            serviceId = (string.IsNullOrEmpty(app.Metadata.Namespace)
                            ? null
                            : await services.FindByAliasAsync(ServiceAliasKinds.ArgoCdApplication, $"{app.Metadata.Namespace}/{applicationSet}", ct))
                        ?? await services.FindByAliasAsync(ServiceAliasKinds.ArgoCdApplication, applicationSet, ct);
        }

        return serviceId;
    }

    /// <summary>The name of the service an Application without an alias is: its service label's value, else its own name.</summary>
    public static string ServiceName(ArgoApplication app, ArgoCdOptions options) =>
        options.ServiceLabel is { } key && app.Metadata?.Labels?.GetValueOrDefault(key) is { Length: > 0 } value ? value : app.Metadata!.Name!;

    // Only a discovered service of the same repository takes the folder, and only once: the
    // catalog, or whoever set it first, keeps the say (ServiceDirectory.AdoptPathAsync).
    private static async Task AdoptFolderAsync(
        ArgoApplication app, int serviceId, ServiceScope service, DomainWriter writer, PathScope scope, CancellationToken ct)
    {
        if (service.Origin != "discovered" || service.Path is not null || service.Repository is null)
        {
            return;
        }

        var source = ArgoCdSourceChoice.Current(app, service.Repository);
        if (source is null || !RepositoryUrls.IsGit(source) || RepositoryUrls.Normalize(source.RepoUrl) != service.Repository
            || ServiceFolder.Of(source.Path, scope) is not { } folder)
        {
            return;
        }

        if (await writer.Services.AdoptPathAsync(serviceId, service.RepositoryId!.Value, folder, ct))
        {
            await writer.QueueAsync([serviceId], resolveChanges: true, ct);
        }
    }
}
