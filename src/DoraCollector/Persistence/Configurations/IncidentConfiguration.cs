using DoraCollector.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DoraCollector.Persistence.Configurations;

internal sealed class IncidentEntityConfiguration : IEntityTypeConfiguration<Incident>
{
    public void Configure(EntityTypeBuilder<Incident> e)
    {
        e.ToTable("incidents");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        e.Property(x => x.Key).HasColumnName("key");
        e.Property(x => x.ServiceId).HasColumnName("service_id");
        e.Property(x => x.Environment).HasColumnName("environment");
        e.Property(x => x.Cluster).HasColumnName("cluster");
        e.Property(x => x.Title).HasColumnName("title");
        e.Property(x => x.Severity).HasColumnName("severity");
        e.Property(x => x.StartedAt).HasColumnName("started_at");
        e.Property(x => x.ResolvedAt).HasColumnName("resolved_at");
        e.Property(x => x.SignalCount).HasColumnName("signal_count");
        e.Property(x => x.DeploymentId).HasColumnName("deployment_id");
        e.Property(x => x.Attribution).HasColumnName("attribution");
        e.HasIndex(x => x.Key).IsUnique().HasDatabaseName("uq_incidents_key");
    }
}

internal sealed class IncidentSignalConfiguration : IEntityTypeConfiguration<IncidentSignal>
{
    public void Configure(EntityTypeBuilder<IncidentSignal> e)
    {
        e.ToTable("incident_signals");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        e.Property(x => x.Source).HasColumnName("source");
        e.Property(x => x.ExternalId).HasColumnName("external_id");
        e.Property(x => x.ServiceId).HasColumnName("service_id");
        e.Property(x => x.ServiceHint).HasColumnName("service_hint");
        e.Property(x => x.Environment).HasColumnName("environment");
        e.Property(x => x.Cluster).HasColumnName("cluster");
        e.Property(x => x.Title).HasColumnName("title");
        e.Property(x => x.Severity).HasColumnName("severity");
        e.Property(x => x.Url).HasColumnName("url");
        e.Property(x => x.StartedAt).HasColumnName("started_at");
        e.Property(x => x.ResolvedAt).HasColumnName("resolved_at");
        e.Property(x => x.LastSeenAt).HasColumnName("last_seen_at");
        e.Property(x => x.ClosedBy).HasColumnName("closed_by");
        e.Property(x => x.DeploymentRef).HasColumnName("deployment_ref");
        e.Property(x => x.RevisionRef).HasColumnName("revision_ref");
        e.Property(x => x.Labels).HasColumnName("labels").HasColumnType("jsonb");
        e.Property(x => x.RawEventId).HasColumnName("raw_event_id");
        e.Property(x => x.IncidentId).HasColumnName("incident_id");
        e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
        e.HasIndex(x => new { x.Source, x.ExternalId }).IsUnique().HasDatabaseName("uq_incident_signals_key");
    }
}
