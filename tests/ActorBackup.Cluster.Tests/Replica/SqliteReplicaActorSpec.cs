using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using Microsoft.Data.Sqlite;

namespace ActorBackup.Cluster.Tests.Replica;

public sealed class SqliteReplicaActorSpec() : ReplicaActorSpec(new ReplicaEnvironment())
{
    protected override IReadOnlyList<(long Serializer, string Manifest)> StoredPayloadKinds() =>
        Env.JournalRows("SELECT identifier, manifest FROM journal UNION ALL SELECT serializer_id, manifest FROM snapshot",
            reader => (reader.GetInt64(0), reader.GetString(1)));

    [Fact]
    public void The_journal_file_is_in_wal_mode()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(Env.DataDirectory, "journal.sqlite")}");
        connection.Open();
        using var cmd = connection.CreateCommand();

        cmd.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", cmd.ExecuteScalar());
    }

    [Fact]
    public void A_new_journal_file_has_1_KiB_pages_and_incremental_auto_vacuum()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(Env.DataDirectory, "journal.sqlite")}");
        connection.Open();
        using var cmd = connection.CreateCommand();

        cmd.CommandText = "PRAGMA page_size";
        Assert.Equal(1024L, cmd.ExecuteScalar());
        cmd.CommandText = "PRAGMA auto_vacuum";
        Assert.Equal(2L, cmd.ExecuteScalar());
    }

    [Fact]
    public void Every_connection_the_journal_plugin_and_the_index_write_through_is_set_to_a_full_fsync_per_commit()
    {
        var journal = Path.Combine(Env.DataDirectory, "journal.sqlite");
        var before = (Journal: DurableSqlite.Opened(journal), Index: DurableSqlite.Opened(Env.Options.IndexFile));
        var replica = Sys.ActorOf(ReplicaActor.Props(new ReplicaId("votes", 17), Env.Options));

        replica.Tell(StoreRecords.Local(1, [Samples.VoteInShard(17, 0, 1490000000)]), TestActor);
        ExpectMsg<RecordsStoredAck>(TimeSpan.FromSeconds(20));
        replica.Tell(FlushIndex.Instance, TestActor);
        ExpectMsg<IndexFlushed>(TimeSpan.FromSeconds(20));

        // Only the journal plugin opens the journal file here, through DurableSqlite's provider.
        Assert.True(DurableSqlite.Opened(journal) > before.Journal, "the journal plugin wrote without a connection set to synchronous = FULL");
        Assert.True(DurableSqlite.Opened(Env.Options.IndexFile) > before.Index, "the record index wrote without a connection set to synchronous = FULL");
        Assert.Equal(DurableSqlite.ProviderName, Env.Config.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.Equal(DurableSqlite.ProviderName, Env.Config.GetString("akka.persistence.snapshot-store.sql.provider-name"));
    }
}
