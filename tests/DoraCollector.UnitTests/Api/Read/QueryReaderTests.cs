using DoraCollector.Api.Read;

namespace DoraCollector.UnitTests.Api.Read;

public sealed class QueryReaderTests
{
    [Theory]
    [InlineData("2026-03-01", "2026-03-01T00:00:00+00:00")]
    [InlineData("2026-03-01T10:15", "2026-03-01T10:15:00+00:00")]
    [InlineData("2026-03-01T10:15:30Z", "2026-03-01T10:15:30+00:00")]
    [InlineData("2026-03-01T10:15:30.25Z", "2026-03-01T10:15:30.2500000+00:00")]
    [InlineData("2026-03-01T12:15:30+02:00", "2026-03-01T10:15:30+00:00")]
    [InlineData("2026-03-01T05:15:30-0500", "2026-03-01T10:15:30+00:00")]
    public void Iso_instants_are_read_as_utc(string text, string expected)
    {
        var reader = new QueryReader();

        var instant = reader.Instant(text, "from");

        Assert.False(reader.Problems.Any);
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), instant);
        Assert.Equal(TimeSpan.Zero, instant!.Value.Offset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("now")]
    [InlineData("03/01/2026")]
    [InlineData("2026-3-1")]
    [InlineData("2026-02-30")]
    [InlineData("2026-03-01T10:15:30 02:00")]
    [InlineData("1709287200")]
    public void Anything_else_is_a_problem_naming_the_parameter(string text)
    {
        var reader = new QueryReader();

        Assert.Null(reader.Instant(text, "to"));
        Assert.True(reader.Problems.Any);
        Assert.StartsWith($"to '{text}' is not an ISO-8601 instant", reader.Problems.QueryProblem().ProblemDetails.Detail);
    }

    [Theory]
    [InlineData(null, 50)]
    [InlineData("1", 1)]
    [InlineData("500", 500)]
    public void Whole_numbers_in_range_are_accepted(string? text, int expected)
    {
        var reader = new QueryReader();

        Assert.Equal(expected, reader.Integer(text, "pageSize", 50, 1, 500));
        Assert.False(reader.Problems.Any);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("501")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("1.0")]
    [InlineData(" 5")]
    [InlineData("99999999999")]
    public void Other_numbers_are_problems(string text)
    {
        var reader = new QueryReader();

        reader.Integer(text, "pageSize", 50, 1, 500);

        Assert.Equal($"pageSize '{text}' is not a whole number between 1 and 500", reader.Problems.QueryProblem().ProblemDetails.Detail);
    }

    [Fact]
    public void Names_are_exact_and_an_empty_one_is_a_problem()
    {
        var reader = new QueryReader();

        Assert.Equal("Checkout ", reader.Name("Checkout ", "service"));
        Assert.Null(reader.Name(null, "team"));
        Assert.False(reader.Problems.Any);
        Assert.Null(reader.Name(" ", "environment"));
        Assert.Equal(["environment"], reader.Problems.QueryProblem().ProblemDetails.Errors.Keys);
    }

    [Fact]
    public void Several_problems_are_all_in_the_detail_and_by_parameter_in_errors()
    {
        var reader = new QueryReader();

        reader.OneOf("x", "outcome", ["success", "failed"]);
        reader.Boolean("maybe", "first", true);
        var problem = reader.Problems.QueryProblem().ProblemDetails;

        Assert.Equal("outcome 'x' is not one of success, failed; first 'maybe' is not true or false", problem.Detail);
        Assert.Equal(400, problem.Status);
        Assert.Equal(["outcome", "first"], problem.Errors.Keys);
    }
}
