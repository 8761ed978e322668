using DoraCollector.Api.Read;
using DoraCollector.Reports;

namespace DoraCollector.UnitTests.Reports;

/// <summary>A failed deployment's evidence says why it failed and, when the sources name clusters, on which.</summary>
public sealed class FailedDeploymentEvidenceTests
{
    [Fact]
    public void The_reason_names_the_cluster_the_failure_was_seen_on()
    {
        Assert.Equal("rolled back by deployment #12 on cluster ap",
            ReportText.FailureReason(new DeploymentItem { FailureReason = "rolled_back", RolledBackById = 12, FailureCluster = "ap" }));
        Assert.Equal("the rollout failed on cluster eu-west-1",
            ReportText.FailureReason(new DeploymentItem { FailureReason = "outcome", FailureCluster = "eu-west-1" }));
    }

    [Fact]
    public void Without_a_cluster_the_reason_is_as_before()
    {
        Assert.Equal("caused incident #77", ReportText.FailureReason(new DeploymentItem { FailureReason = "incident", IncidentIds = [77] }));
    }
}
