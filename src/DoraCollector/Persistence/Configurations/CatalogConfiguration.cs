using DoraCollector.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DoraCollector.Persistence.Configurations;

internal sealed class TeamConfiguration : IEntityTypeConfiguration<Team>
{
    public void Configure(EntityTypeBuilder<Team> e)
    {
        e.ToTable("teams");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        e.Property(x => x.Name).HasColumnName("name");
        e.Property(x => x.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        e.HasIndex(x => x.Name).IsUnique().HasDatabaseName("uq_teams_name");
    }
}

internal sealed class RepositoryConfiguration : IEntityTypeConfiguration<Repository>
{
    public void Configure(EntityTypeBuilder<Repository> e)
    {
        e.ToTable("repositories");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        e.Property(x => x.FullName).HasColumnName("full_name");
        e.Property(x => x.DefaultBranch).HasColumnName("default_branch");
        e.Property(x => x.WebUrl).HasColumnName("web_url");
        e.Property(x => x.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        e.HasIndex(x => x.FullName).IsUnique().HasDatabaseName("uq_repositories_full_name");
    }
}

internal sealed class ServiceConfiguration : IEntityTypeConfiguration<Service>
{
    public void Configure(EntityTypeBuilder<Service> e)
    {
        e.ToTable("services");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        e.Property(x => x.Name).HasColumnName("name");
        e.Property(x => x.TeamId).HasColumnName("team_id");
        e.Property(x => x.RepositoryId).HasColumnName("repository_id");
        e.Property(x => x.Path).HasColumnName("path");
        e.Property(x => x.Origin).HasColumnName("origin");
        e.Property(x => x.CreatedAt).HasColumnName("created_at").HasDefaultValueSql("now()");
        e.Property(x => x.UpdatedAt).HasColumnName("updated_at").HasDefaultValueSql("now()");
        e.HasOne(x => x.Team).WithMany().HasForeignKey(x => x.TeamId).OnDelete(DeleteBehavior.SetNull);
        e.HasOne(x => x.Repository).WithMany().HasForeignKey(x => x.RepositoryId).OnDelete(DeleteBehavior.SetNull);
        e.HasIndex(x => x.Name).IsUnique().HasDatabaseName("uq_services_name");
    }
}

internal sealed class ServiceAliasConfiguration : IEntityTypeConfiguration<ServiceAlias>
{
    public void Configure(EntityTypeBuilder<ServiceAlias> e)
    {
        e.ToTable("service_aliases");
        e.HasKey(x => new { x.Kind, x.Value });
        e.Property(x => x.Kind).HasColumnName("kind");
        e.Property(x => x.Value).HasColumnName("value");
        e.Property(x => x.ServiceId).HasColumnName("service_id");
    }
}
