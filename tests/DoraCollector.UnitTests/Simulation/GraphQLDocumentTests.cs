using DoraCollector.Simulator.GitHub.GraphQL;
using DoraCollector.Sources.GitHub.Polling;

namespace DoraCollector.UnitTests.Simulation;

/// <summary>The fake GitHub's reading of the collector's GraphQL documents.</summary>
public sealed class GraphQLDocumentTests
{
    public static TheoryData<string> PollerDocuments => new()
    {
        GitHubQueries.Sync(pinned: true),
        GitHubQueries.Sync(pinned: false),
        GitHubQueries.PullRequestCommits([12, 13]),
        GitHubQueries.Commits(3),
        GitHubQueries.PathHistory([0, 1]),
    };

    [Theory]
    [MemberData(nameof(PollerDocuments))]
    public void Every_document_the_poller_sends_is_read_whole(string query)
    {
        var document = GraphQLDocument.Parse(query);

        Assert.NotEmpty(document.OperationName);
        Assert.NotEmpty(document.Selections);
    }

    [Fact]
    public void Aliases_arguments_variables_directives_and_inline_fragments_are_kept()
    {
        var document = GraphQLDocument.Parse("""
            query Sync($owner: String!, $first: Int = 10, $shas: [GitObjectID!]) {
              repo: repository(owner: $owner, name: "shop") {
                ... on Repository @include(if: true) { id }
                refs(first: 5, orderBy: { field: TAG_COMMIT_DATE, direction: DESC }, query: null) { totalCount }
              }
            }
            """);

        Assert.Equal("Sync", document.OperationName);
        Assert.Equal(new Dictionary<string, string> { ["owner"] = "String!", ["first"] = "Int", ["shas"] = "[GitObjectID!]" }, document.VariableTypes);
        var repo = Assert.IsType<Field>(Assert.Single(document.Selections));
        Assert.Equal(("repo", "repository"), (repo.Alias, repo.Name));
        Assert.Equal(new VariableValue("owner"), repo.Arguments["owner"]);
        Assert.Equal(new ConstValue("shop"), repo.Arguments["name"]);
        var fragment = Assert.IsType<InlineFragment>(repo.Selections![0]);
        Assert.Equal("Repository", fragment.TypeCondition);
        Assert.Equal(new ConstValue(true), Assert.Single(fragment.Directives).Arguments["if"]);
        var refs = Assert.IsType<Field>(repo.Selections[1]);
        Assert.Equal(new ConstValue(5L), refs.Arguments["first"]);
        Assert.Equal(new EnumValue("DESC"), Assert.IsType<ObjectValue>(refs.Arguments["orderBy"]).Fields["direction"]);
        Assert.Equal(new ConstValue(null), refs.Arguments["query"]);
    }

    [Theory]
    [InlineData("query { repository(owner: \"a\" { id } }")]
    [InlineData("query A { id } query B { id }")]
    [InlineData("query { ...Named } fragment Named on Query { id }")]
    public void A_document_github_would_refuse_is_an_error(string query) =>
        Assert.Throws<GraphQLException>(() => GraphQLDocument.Parse(query));
}
