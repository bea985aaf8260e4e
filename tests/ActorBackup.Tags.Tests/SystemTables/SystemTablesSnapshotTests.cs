using System.Text.Json;
using System.Text.Json.Nodes;
using ActorBackup.Tags.SystemTables;
using ActorBackup.Testing;

namespace ActorBackup.Tags.Tests.SystemTables;

public sealed class SystemTablesSnapshotTests
{
    public static TheoryData<string> Files =>
        [.. Directory.GetFiles(RepoPaths.ServerTagLayouts, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order()];

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_saved_layout_reads_and_is_written_back_with_its_rows_untouched(string layout)
    {
        var original = JsonNode.Parse(File.ReadAllText(RepoPaths.ServerTagLayout(layout)))!;
        var tables = Layouts.Load(layout);

        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            tables.WriteTo(writer);

        Assert.True(JsonNode.DeepEquals(original, JsonNode.Parse(buffer.ToArray())));
        Assert.Equal(original["server_config"]!.AsArray().Count, tables.Servers.Count);
        Assert.Equal(original["table_config"]!.AsArray().Count, tables.Tables.Count);
        Assert.Equal(original["table_status"]!.AsArray().Count, tables.Statuses.Count);
    }

    [Fact]
    public void Rows_are_read_with_their_fields()
    {
        var tables = Layouts.Load("table-mid-backfill");

        Assert.Equal(new[] { "default", "backup" }, tables.Servers.Single(s => s.Name == "backup_2").Tags);
        var votes = tables.ConfigOf(Layouts.Votes)!;
        Assert.Equal(("id", "majority", "hard"), (votes.PrimaryKey, votes.WriteAcks, votes.Durability));
        Assert.Equal("rdb_3", votes.Shards[1].PrimaryReplica);
        Assert.Empty(votes.Shards[1].NonvotingReplicas);
        Assert.Equal(["rdb_3", "rdb_1", "rdb_2", "backup_2"], votes.Shards[1].Replicas);
        var status = tables.StatusOf(Layouts.Votes)!;
        Assert.Equal(new TableReadiness(false, true, true, true), status.Status);
        Assert.Equal(new ReplicaStatus("backup_2", "backfilling"), status.Shards![1].Replicas[3]);
    }

    [Fact]
    public void Empty_system_tables_are_refused_as_a_source_that_does_not_implement_them()
    {
        var error = Assert.Throws<SystemTablesFormatException>(() =>
            SystemTablesSnapshot.Parse("""{"server_config": [], "table_config": [], "table_status": []}""", "saved.json"));

        Assert.Equal("saved.json lists no server in rethinkdb.server_config, where a RethinkDB cluster lists every connected server: "
                     + "it does not implement RethinkDB's system tables (reqlite does not), which the server-tag layout needs", error.Message);
    }

    [Theory]
    [InlineData("""{"server_config": [], "table_config": []}""", "x.json: table_status is missing")]
    [InlineData("""[1, 2]""", "x.json: the document must be an object, not an array")]
    [InlineData("""{"server_config": {}, "table_config": [], "table_status": []}""", "x.json: server_config must be an array, not an object")]
    [InlineData("""{"server_config": [{"id": "a", "name": "rdb_1"}], "table_config": [], "table_status": []}""", "x.json: server_config[0].tags is missing")]
    [InlineData("""{"server_config": [{"id": "a", "name": "rdb_1", "tags": "original"}], "table_config": [], "table_status": []}""",
        "x.json: server_config[0].tags must be an array, not a string")]
    [InlineData("""{"server_config": [{"id": "a", "name": "rdb_1", "tags": [1]}], "table_config": [], "table_status": []}""",
        "x.json: server_config[0].tags[0] must be a string, not a number")]
    [InlineData("""{"server_config": [{"id": "a", "name": "rdb_1", "tags": []}], "table_status": [], "table_config": [{"db": "bigchain", "durability": "hard", "id": "t", "name": "votes", "primary_key": "id", "shards": [], "write_acks": "majority"}]}""",
        "x.json: table_config[0].shards must list at least one shard")]
    [InlineData("""{"server_config": [{"id": "a", "name": "rdb_1", "tags": []}], "table_status": [], "table_config": [{"db": "bigchain", "durability": "hard", "id": "t", "name": "votes", "primary_key": "id", "shards": [{"primary_replica": "rdb_1", "replicas": "rdb_1"}], "write_acks": "majority"}]}""",
        "x.json: table_config[0].shards[0].replicas must be an array, not a string")]
    [InlineData("""{"server_config": [{"id": "a", "name": "rdb_1", "tags": []}], "table_config": [], "table_status": [{"db": "bigchain", "id": "t", "name": "votes", "shards": [], "status": {"all_replicas_ready": "yes"}}]}""",
        "x.json: table_status[0].status.all_replicas_ready must be true or false, not a string")]
    public void A_wrong_shape_is_one_line_naming_where(string json, string message)
    {
        var error = Assert.Throws<SystemTablesFormatException>(() => SystemTablesSnapshot.Parse(json, "x.json"));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_file_that_is_not_JSON_is_one_line_naming_it()
    {
        var error = Assert.Throws<SystemTablesFormatException>(() => SystemTablesSnapshot.Parse("""{"server_config": [""", "x.json"));

        Assert.StartsWith("x.json: not JSON (", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Write_acks_given_per_tag_are_kept_as_RethinkDB_printed_them()
    {
        var tables = SystemTablesSnapshot.Parse("""
            {"server_config": [{"cache_size_mb": 1024, "id": "a", "name": "rdb_1", "tags": ["original"]}], "table_status": [],
             "table_config": [{"db": "bigchain", "durability": "soft", "id": "t", "indexes": [], "name": "votes", "primary_key": "id",
               "shards": [{"nonvoting_replicas": [], "primary_replica": "rdb_1", "replicas": ["rdb_1"]}],
               "write_acks": [{"acks": "majority", "replicas": ["rdb_1"]}], "write_hook": null}]}
            """, "x.json");

        Assert.Equal("""[{"acks": "majority", "replicas": ["rdb_1"]}]""", tables.Tables[0].WriteAcks);
    }
}
