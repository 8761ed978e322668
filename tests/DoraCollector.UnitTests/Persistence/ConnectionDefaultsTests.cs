using DoraCollector.Persistence;
using Npgsql;

namespace DoraCollector.UnitTests.Persistence;

public sealed class ConnectionDefaultsTests
{
    [Fact]
    public void Statements_are_prepared_automatically_unless_the_connection_string_says_otherwise()
    {
        var plain = Applied("Host=db;Database=dora");
        var off = Applied("Host=db;Database=dora;Max Auto Prepare=0");
        var spelled = Applied("Host=db;Database=dora;maxautoprepare=8");

        Assert.Equal((64, 2), (plain.MaxAutoPrepare, plain.AutoPrepareMinUsages));
        Assert.Equal(0, off.MaxAutoPrepare);
        Assert.Equal(8, spelled.MaxAutoPrepare);
    }

    private static NpgsqlConnectionStringBuilder Applied(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        ConnectionDefaults.Apply(builder, connectionString);
        return builder;
    }
}
