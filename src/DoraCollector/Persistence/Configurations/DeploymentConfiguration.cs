using DoraCollector.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DoraCollector.Persistence.Configurations;

internal sealed class DeploymentAttemptConfiguration : IEntityTypeConfiguration<DeploymentAttempt>
{
    public void Configure(EntityTypeBuilder<DeploymentAttempt> e)
    {
        e.ToTable("deployment_attempts");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        e.Property(x => x.Source).HasColumnName("source");
        e.Property(x => x.ExternalId).HasColumnName("external_id");
        e.Property(x => x.ServiceId).HasColumnName("service_id");
        e.Property(x => x.Environment).HasColumnName("environment");
        e.Property(x => x.Cluster).HasColumnName("cluster");
        e.Property(x => x.RepositoryId).HasColumnName("repository_id");
        e.Property(x => x.Revision).HasColumnName("revision");
        e.Property(x => x.Outcome).HasColumnName("outcome");
        e.Property(x => x.StartedAt).HasColumnName("started_at");
        e.Property(x => x.FinishedAt).HasColumnName("finished_at");
        e.Property(x => x.RollbackHint).HasColumnName("rollback_hint");
        e.Property(x => x.ExplicitCommits).HasColumnName("explicit_commits").HasColumnType("text[]");
        e.Property(x => x.Details).HasColumnName("details").HasColumnType("jsonb");
        e.Property(x => x.RawEventId).HasColumnName("raw_event_id");
        e.Property(x => x.DeploymentId).HasColumnName("deployment_id");
        e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
        e.HasIndex(x => new { x.Source, x.ExternalId }).IsUnique().HasDatabaseName("uq_deployment_attempts_key");
    }
}

internal sealed class DeploymentEntityConfiguration : IEntityTypeConfiguration<Deployment>
{
    public void Configure(EntityTypeBuilder<Deployment> e)
    {
        e.ToTable("deployments");
        e.HasKey(x => x.Id);
        e.Property(x => x.Id).HasColumnName("id").UseIdentityAlwaysColumn();
        e.Property(x => x.Key).HasColumnName("key");
        e.Property(x => x.ServiceId).HasColumnName("service_id");
        e.Property(x => x.Environment).HasColumnName("environment");
        e.Property(x => x.RepositoryId).HasColumnName("repository_id");
        e.Property(x => x.Revision).HasColumnName("revision");
        e.Property(x => x.StartedAt).HasColumnName("started_at");
        e.Property(x => x.FinishedAt).HasColumnName("finished_at");
        e.Property(x => x.Outcome).HasColumnName("outcome");
        e.Property(x => x.AttemptCount).HasColumnName("attempt_count");
        e.Property(x => x.IsRedeploy).HasColumnName("is_redeploy");
        e.Property(x => x.IsRollback).HasColumnName("is_rollback");
        e.Property(x => x.IsFailed).HasColumnName("is_failed");
        e.Property(x => x.FailureReason).HasColumnName("failure_reason");
        e.Property(x => x.FailureCluster).HasColumnName("failure_cluster");
        e.Property(x => x.IsRework).HasColumnName("is_rework");
        e.Property(x => x.ReworkReason).HasColumnName("rework_reason");
        e.Property(x => x.PreviousDeploymentId).HasColumnName("previous_deployment_id");
        e.Property(x => x.RolledBackById).HasColumnName("rolled_back_by_id");
        e.Property(x => x.RecoveredAt).HasColumnName("recovered_at");
        e.Property(x => x.ChangesState).HasColumnName("changes_state");
        e.Property(x => x.ChangesBase).HasColumnName("changes_base");
        e.HasIndex(x => x.Key).IsUnique().HasDatabaseName("uq_deployments_key");
    }
}

internal sealed class DeploymentChangeConfiguration : IEntityTypeConfiguration<DeploymentChange>
{
    public void Configure(EntityTypeBuilder<DeploymentChange> e)
    {
        e.ToTable("deployment_changes");
        e.HasKey(x => new { x.DeploymentId, x.ChangeKey });
        e.Property(x => x.DeploymentId).HasColumnName("deployment_id");
        e.Property(x => x.ChangeKey).HasColumnName("change_key");
        e.Property(x => x.RepositoryId).HasColumnName("repository_id");
        e.Property(x => x.PullRequestNumber).HasColumnName("pull_request_number");
        e.Property(x => x.HeadSha).HasColumnName("head_sha");
        e.Property(x => x.Title).HasColumnName("title");
        e.Property(x => x.CommitCount).HasColumnName("commit_count");
        e.Property(x => x.FirstCommitAt).HasColumnName("first_commit_at");
        e.Property(x => x.OpenedAt).HasColumnName("opened_at");
        e.Property(x => x.MergedAt).HasColumnName("merged_at");
        e.Property(x => x.IsFirst).HasColumnName("is_first");
        e.Property(x => x.IsHotfix).HasColumnName("is_hotfix");
        e.Property(x => x.IsRevert).HasColumnName("is_revert");
    }
}
