using DoraCollector.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DoraCollector.Persistence.Configurations;

internal sealed class RawEventConfiguration : IEntityTypeConfiguration<RawEvent>
{
    public void Configure(EntityTypeBuilder<RawEvent> e)
    {
        e.ToTable("raw_events");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        e.Property(x => x.Source).HasColumnName("source");
        e.Property(x => x.Kind).HasColumnName("kind");
        e.Property(x => x.ExternalId).HasColumnName("external_id");
        e.Property(x => x.ReceivedAt).HasColumnName("received_at");
        e.Property(x => x.Digest).HasColumnName("digest");
        e.Property(x => x.State).HasColumnName("state");
        e.Property(x => x.Attempts).HasColumnName("attempts");
        e.Property(x => x.Error).HasColumnName("error");
        e.Property(x => x.ProcessedAt).HasColumnName("processed_at");
        e.HasIndex(x => new { x.Source, x.Kind, x.ExternalId }).IsUnique().HasDatabaseName("uq_raw_events_key");
    }
}

internal sealed class RawEventBodyConfiguration : IEntityTypeConfiguration<RawEventBody>
{
    public void Configure(EntityTypeBuilder<RawEventBody> e)
    {
        e.ToTable("raw_event_bodies");
        e.HasKey(x => x.RawEventId);
        e.Property(x => x.RawEventId).HasColumnName("raw_event_id").ValueGeneratedNever();
        e.Property(x => x.Body).HasColumnName("body");
        e.HasOne<RawEvent>().WithOne().HasForeignKey<RawEventBody>(x => x.RawEventId).OnDelete(DeleteBehavior.Cascade);
    }
}
