using DoraCollector.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DoraCollector.Persistence.Configurations;

internal sealed class IngestCursorConfiguration : IEntityTypeConfiguration<IngestCursor>
{
    public void Configure(EntityTypeBuilder<IngestCursor> e)
    {
        e.ToTable("ingest_cursors");
        e.HasKey(x => new { x.Source, x.Scope });
        e.Property(x => x.Source).HasColumnName("source");
        e.Property(x => x.Scope).HasColumnName("scope");
        e.Property(x => x.Position).HasColumnName("position");
        e.Property(x => x.Etag).HasColumnName("etag");
        e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
        e.Property(x => x.LastSuccessAt).HasColumnName("last_success_at");
        e.Property(x => x.LastError).HasColumnName("last_error");
    }
}

internal sealed class ProjectionQueueEntryConfiguration : IEntityTypeConfiguration<ProjectionQueueEntry>
{
    public void Configure(EntityTypeBuilder<ProjectionQueueEntry> e)
    {
        e.ToTable("projection_queue");
        e.HasKey(x => x.ServiceId);
        e.Property(x => x.ServiceId).HasColumnName("service_id").ValueGeneratedNever();
        e.Property(x => x.QueuedAt).HasColumnName("queued_at");
        e.Property(x => x.ResolveChanges).HasColumnName("resolve_changes");
    }
}

internal sealed class CollectorStateEntryConfiguration : IEntityTypeConfiguration<CollectorStateEntry>
{
    public void Configure(EntityTypeBuilder<CollectorStateEntry> e)
    {
        e.ToTable("collector_state");
        e.HasKey(x => x.Key);
        e.Property(x => x.Key).HasColumnName("key");
        e.Property(x => x.Value).HasColumnName("value");
        e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
    }
}
