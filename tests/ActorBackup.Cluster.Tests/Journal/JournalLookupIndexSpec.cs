using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Cluster.Settings;
using ActorBackup.Testing;
using Akka.Actor;
using Akka.Configuration;
using Microsoft.Data.Sqlite;

namespace ActorBackup.Cluster.Tests.Journal;

/// <summary>
/// The journal's index by persistence id on SQLite: a journal the plugin created (as every earlier version left it) is read
/// one entity at a time by a scan of the whole table until the index is there. PostgreSQL: <c>PostgreSqlNamespaceClaimSpec</c>,
/// through a node's start.
/// </summary>
public sealed class JournalLookupIndexSpec : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("actorbackup-journal-index-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>What SQLite plans for the read of one replica's events in a range, as recovery and compaction ask it.</summary>
    private static string PlanOfOneReplicasEvents(BackupSettings settings)
    {
        using var connection = new SqliteConnection(JournalCompaction.SqliteConnectionString(settings));
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "EXPLAIN QUERY PLAN SELECT message FROM journal WHERE persistence_id = 'replica-votes-017' AND sequence_number > 1 AND sequence_number <= 9 ORDER BY sequence_number";
        using var reader = cmd.ExecuteReader();
        var steps = new List<string>();
        while (reader.Read()) steps.Add(reader.GetString(3));
        return string.Join("; ", steps);
    }

    [Fact]
    public async Task A_journal_the_plugin_created_is_indexed_by_persistence_id_once_and_keeps_its_events()
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            actorbackup.data-dir = "{{Path.Combine(_directory, "data")}}"
            """);
        var settings = BackupSettings.Create(config);
        var system = ActorSystem.Create("journal-index", config.WithFallback(JournalConfig.For(settings)).WithFallback(BackupConfig.Reference));
        try
        {
            JournalStartup.Await(system, "sqlite", Timeout);
            JournalStartup.StartNodeStore(system, Timeout);
            var replica = system.ActorOf(ReplicaActor.Props(new ReplicaId("votes", 17), ReplicaOptions.From(settings)));
            for (var i = 0; i < 5; i++)
                await replica.Ask<RecordsStoredAck>(StoreRecords.Local(i + 1, [Samples.VoteInShard(17, i, 1490000000 + i)]), Timeout);
        }
        finally
        {
            await system.Terminate();
        }
        Assert.False(JournalLookupIndex.Exists(settings));
        Assert.StartsWith("SCAN journal", PlanOfOneReplicasEvents(settings));

        Assert.True(JournalLookupIndex.Ensure(settings));

        Assert.True(JournalLookupIndex.Exists(settings));
        Assert.Contains($"SEARCH journal USING INDEX {JournalLookupIndex.Name} (persistence_id=? AND sequence_number>? AND sequence_number<?)", PlanOfOneReplicasEvents(settings));
        Assert.False(JournalLookupIndex.Ensure(settings));
        using var connection = new SqliteConnection(JournalCompaction.SqliteConnectionString(settings));
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM journal INDEXED BY journal_by_persistence_id WHERE persistence_id = 'replica-votes-017'";
        Assert.Equal(5L, count.ExecuteScalar());
    }
}
