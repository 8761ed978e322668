using DoraCollector.Persistence.Entities;
using Microsoft.EntityFrameworkCore;

namespace DoraCollector.Persistence;

/// <summary>
/// EF Core model over the SQL-first schema in <c>migrations/</c>: no EF migrations and no
/// <c>EnsureCreated</c>; a test checks that this model and the migrated database agree.
/// </summary>
internal sealed class DoraDbContext(DbContextOptions<DoraDbContext> options) : DbContext(options)
{
    public DbSet<RawEvent> RawEvents => Set<RawEvent>();
    public DbSet<RawEventBody> RawEventBodies => Set<RawEventBody>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<Repository> Repositories => Set<Repository>();
    public DbSet<Service> Services => Set<Service>();
    public DbSet<ServiceAlias> ServiceAliases => Set<ServiceAlias>();
    public DbSet<Commit> Commits => Set<Commit>();
    public DbSet<PullRequest> PullRequests => Set<PullRequest>();
    public DbSet<PullRequestCommit> PullRequestCommits => Set<PullRequestCommit>();
    public DbSet<DeploymentAttempt> DeploymentAttempts => Set<DeploymentAttempt>();
    public DbSet<Deployment> Deployments => Set<Deployment>();
    public DbSet<DeploymentChange> DeploymentChanges => Set<DeploymentChange>();
    public DbSet<Incident> Incidents => Set<Incident>();
    public DbSet<IncidentSignal> IncidentSignals => Set<IncidentSignal>();
    public DbSet<IngestCursor> IngestCursors => Set<IngestCursor>();
    public DbSet<ProjectionQueueEntry> ProjectionQueue => Set<ProjectionQueueEntry>();
    public DbSet<CollectorStateEntry> CollectorState => Set<CollectorStateEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DoraDbContext).Assembly);
}
