using System.Text.Json;
using ActorBackup.Recovery.Archive;
using ActorBackup.Recovery.Restore;

namespace ActorBackup.Recovery.Tests.Restore;

public class IndexPlanTests
{
    [Fact]
    public void Listed_indexes_are_planned_by_name_with_their_binary_blob_when_there_is_one_and_the_primary_key_is_skipped()
    {
        var indexes = JsonElement.Parse("""
            [{"index":"block_timestamp","function":{"$reql_type$":"BINARY","data":"AAEC"}},
             {"index":"transaction_id","function":{}},
             {"index":"id","function":{}}]
            """).EnumerateArray().ToArray();

        var planned = IndexRestorer.Planned(new TableInfo("bigchain", "bigchain", "id", [.. indexes]));

        Assert.Equal(["block_timestamp", "transaction_id"], planned.Select(p => p.Name));
        Assert.Equal("AAEC", planned[0].Blob!.Value.GetProperty("data").GetString());
        Assert.Null(planned[1].Blob);
    }

    [Fact]
    public void A_table_listed_without_indexes_gets_the_bigchaindb_0_10_indexes_of_its_name()
    {
        Assert.Equal(["block_timestamp", "transaction_id", "asset_id", "outputs", "inputs"],
            IndexRestorer.Planned(new TableInfo("bigchain", "bigchain", "id", [])).Select(p => p.Name));
        Assert.Equal(["block_and_voter"], IndexRestorer.Planned(new TableInfo("bigchain", "votes", "id", [])).Select(p => p.Name));
        Assert.Empty(IndexRestorer.Planned(new TableInfo("bigchain", "assets", "id", [])));
    }
}
