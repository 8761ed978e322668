using DoraCollector.Hosting;

namespace DoraCollector.UnitTests.Hosting;

public sealed class RequestProblemsTests
{
    [Fact]
    public void Messages_are_kept_in_order_and_grouped_by_field()
    {
        var problems = new RequestProblems();

        problems.Add("window", "window '5x' is not one of 7d, 30d");
        problems.Add("page", "page '0' is not a whole number of at least 1");
        problems.Add("window", "window must not be empty");

        Assert.Equal(3, problems.Count);
        Assert.Equal(["window", "page", "window"], problems.Items.Select(i => i.Key));
        Assert.Equal(["window", "page"], problems.Errors.Keys);
        Assert.Equal(["window '5x' is not one of 7d, 30d", "window must not be empty"], problems.Errors["window"]);
        Assert.True(problems.Has("page"));
        Assert.False(problems.Has("team"));
    }

    [Fact]
    public void A_query_problem_details_every_message()
    {
        var problems = new RequestProblems();
        problems.Add("window", "window '5x' is not one of 7d, 30d");
        problems.Add("page", "page '0' is not a whole number of at least 1");

        var details = problems.QueryProblem().ProblemDetails;

        Assert.Equal("Invalid query parameter", details.Title);
        Assert.Equal(400, details.Status);
        Assert.Equal("window '5x' is not one of 7d, 30d; page '0' is not a whole number of at least 1", details.Detail);
        Assert.Equal(["window", "page"], details.Errors.Keys);
    }

    [Fact]
    public void A_body_problem_details_the_first_problem_and_how_many_more()
    {
        var problems = new RequestProblems();
        problems.Add("[0].finishedAt", "is required");
        problems.Add("[2].id", "must not contain spaces");
        problems.Add("[2].status", "'ok' is not success or failure");

        var details = problems.BodyProblem().ProblemDetails;

        Assert.Equal("The request is invalid", details.Title);
        Assert.Equal(400, details.Status);
        Assert.Equal("[0].finishedAt: is required (and 2 more)", details.Detail);
        Assert.Equal(["[0].finishedAt", "[2].id", "[2].status"], details.Errors.Keys);
    }

    [Fact]
    public void A_problem_with_the_whole_body_is_summarised_as_the_body()
    {
        var problems = new RequestProblems();
        Assert.Equal("", problems.Summary);

        problems.Add("", "the batch is empty");

        Assert.Equal("body: the batch is empty", problems.Summary);
    }
}
