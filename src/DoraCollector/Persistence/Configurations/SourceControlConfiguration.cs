using DoraCollector.Persistence.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DoraCollector.Persistence.Configurations;

internal sealed class CommitConfiguration : IEntityTypeConfiguration<Commit>
{
    public void Configure(EntityTypeBuilder<Commit> e)
    {
        e.ToTable("commits");
        e.HasKey(x => new { x.RepositoryId, x.Sha });
        e.Property(x => x.RepositoryId).HasColumnName("repository_id");
        e.Property(x => x.Sha).HasColumnName("sha");
        e.Property(x => x.Parents).HasColumnName("parents").HasColumnType("text[]");
        e.Property(x => x.AuthoredAt).HasColumnName("authored_at");
        e.Property(x => x.CommittedAt).HasColumnName("committed_at");
        e.Property(x => x.Author).HasColumnName("author");
        e.Property(x => x.Message).HasColumnName("message");
        e.Property(x => x.Paths).HasColumnName("paths").HasColumnType("text[]");
    }
}

internal sealed class PullRequestConfiguration : IEntityTypeConfiguration<PullRequest>
{
    public void Configure(EntityTypeBuilder<PullRequest> e)
    {
        e.ToTable("pull_requests");
        e.HasKey(x => new { x.RepositoryId, x.Number });
        e.Property(x => x.RepositoryId).HasColumnName("repository_id");
        e.Property(x => x.Number).HasColumnName("number");
        e.Property(x => x.Title).HasColumnName("title");
        e.Property(x => x.Url).HasColumnName("url");
        e.Property(x => x.Author).HasColumnName("author");
        e.Property(x => x.BaseBranch).HasColumnName("base_branch");
        e.Property(x => x.State).HasColumnName("state");
        e.Property(x => x.OpenedAt).HasColumnName("opened_at");
        e.Property(x => x.MergedAt).HasColumnName("merged_at");
        e.Property(x => x.ClosedAt).HasColumnName("closed_at");
        e.Property(x => x.MergeCommitSha).HasColumnName("merge_commit_sha");
        e.Property(x => x.FirstCommitAt).HasColumnName("first_commit_at");
        e.Property(x => x.FirstReviewAt).HasColumnName("first_review_at");
        e.Property(x => x.Labels).HasColumnName("labels").HasColumnType("text[]");
        e.Property(x => x.UpdatedAt).HasColumnName("updated_at");
    }
}

internal sealed class PullRequestCommitConfiguration : IEntityTypeConfiguration<PullRequestCommit>
{
    public void Configure(EntityTypeBuilder<PullRequestCommit> e)
    {
        e.ToTable("pull_request_commits");
        e.HasKey(x => new { x.RepositoryId, x.PullRequestNumber, x.Sha });
        e.Property(x => x.RepositoryId).HasColumnName("repository_id");
        e.Property(x => x.PullRequestNumber).HasColumnName("pull_request_number");
        e.Property(x => x.Sha).HasColumnName("sha");
    }
}
