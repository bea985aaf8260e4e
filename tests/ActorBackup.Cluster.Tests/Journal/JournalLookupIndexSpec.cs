using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Tests.Node;
using ActorBackup.Cluster.Tests.Replica;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Reqlite;
using ActorBackup.Testing;
using Akka.Actor;
using Akka.Configuration;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ActorBackup.Cluster.Tests.Journal;

/// <summary>
/// The journal's index by persistence id: a journal the plugin created (as every earlier version left it) is read one
/// entity at a time by a scan of the whole table until the index is there; nodes sharing a PostgreSQL database build it
/// once between them; a journal that cannot be indexed does not stop a node. A node's start on PostgreSQL:
/// <c>PostgreSqlNamespaceClaimSpec</c>.
/// </summary>
public sealed class JournalLookupIndexSpec(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly TestNodeFiles _files = new();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _files.Dispose();
    }

    /// <summary>The columns of the plugin's PostgreSQL journal table the index covers, keyed by its ordering alone as the plugin keys it.</summary>
    private const string JournalAsThePluginCreatesIt =
        "CREATE TABLE journal (ordering BIGSERIAL PRIMARY KEY, persistence_id TEXT NOT NULL, sequence_number BIGINT NOT NULL, message BYTEA NOT NULL);";

    private static BackupSettings Sqlite(string dataDirectory) =>
        BackupSettings.Create(ConfigurationFactory.ParseString($"actorbackup.data-dir = \"{dataDirectory}\""));

    private static BackupSettings PostgreSql(string database) => BackupSettings.Create(ConfigurationFactory.ParseString($$"""
        actorbackup {
          journal = postgresql
          postgresql.connection-string = "{{database}}"
        }
        """));

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

    private static void Execute(string database, string sql)
    {
        using var connection = new NpgsqlConnection(database);
        connection.Open();
        using var cmd = new NpgsqlCommand(sql, connection);
        cmd.ExecuteNonQuery();
    }

    private static object? IndexValidity(string database)
    {
        using var connection = new NpgsqlConnection(database);
        connection.Open();
        using var cmd = new NpgsqlCommand(
            $"SELECT i.indisvalid FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid WHERE i.indrelid = to_regclass('journal') AND c.relname = '{JournalLookupIndex.Name}'",
            connection);
        return cmd.ExecuteScalar();
    }

    [Fact]
    public async Task A_journal_the_plugin_created_is_indexed_by_persistence_id_once_and_keeps_its_events()
    {
        var settings = Sqlite(_files.DataDir("earlier"));
        var system = ActorSystem.Create("journal-index", ConfigurationFactory.ParseString("akka.loglevel = WARNING")
            .WithFallback(JournalConfig.For(settings)).WithFallback(BackupConfig.Reference));
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

        Assert.Equal(new JournalLookupIndex.Outcome(true, null), JournalLookupIndex.Ensure(settings, Timeout));

        Assert.True(JournalLookupIndex.Exists(settings));
        Assert.Contains($"SEARCH journal USING INDEX {JournalLookupIndex.Name} (persistence_id=? AND sequence_number>? AND sequence_number<?)", PlanOfOneReplicasEvents(settings));
        Assert.Equal(new JournalLookupIndex.Outcome(false, null), JournalLookupIndex.Ensure(settings, Timeout));
        using var connection = new SqliteConnection(JournalCompaction.SqliteConnectionString(settings));
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = $"SELECT count(*) FROM journal INDEXED BY {JournalLookupIndex.Name} WHERE persistence_id = 'replica-votes-017'";
        Assert.Equal(5L, count.ExecuteScalar());
    }

    [Fact]
    public async Task A_node_started_on_sqlite_has_its_journal_indexed()
    {
        await using var source = await ReqliteServer.StartAsync();
        var port = FreePort.Next();
        var hocon = _files.NodeHocon("node0", "eu-west", port, FreePort.Next(), port, $$"""
            actorbackup {
              sources = ["{{source.Endpoint}}"]
              replicas = 1
            }
            """);
        var configuration = NodeConfiguration.FromConfig(ConfigurationFactory.ParseString(hocon), "node0");

        await using (BackupNode.Start(configuration))
        {
            Assert.True(JournalLookupIndex.Exists(configuration.Settings));
        }
    }

    [Fact]
    public void A_journal_that_cannot_be_indexed_is_reported_in_one_line_and_does_not_throw()
    {
        var settings = Sqlite(_files.DataDir("without-table"));
        Directory.CreateDirectory(settings.DataDirectory);
        using (var connection = new SqliteConnection(JournalCompaction.SqliteConnectionString(settings)))
            connection.Open();

        var outcome = JournalLookupIndex.Ensure(settings, Timeout);

        Assert.False(outcome.Created);
        Assert.StartsWith("could not be indexed by persistence id (", outcome.NotIndexed);
        Assert.Contains("no such table", outcome.NotIndexed);
        Assert.DoesNotContain('\n', outcome.NotIndexed!);
    }

    [Fact]
    public async Task Nodes_sharing_a_postgresql_database_build_the_index_once_between_them_when_they_start_at_once()
    {
        var database = postgres.NewDatabase();
        Execute(database, JournalAsThePluginCreatesIt
                          + "INSERT INTO journal (persistence_id, sequence_number, message) SELECT 'replica-votes-' || (n % 64), n, '\\x00' FROM generate_series(1, 20000) AS n;");
        var settings = PostgreSql(database);
        using var start = new Barrier(4);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait(Timeout);
            return JournalLookupIndex.Ensure(settings, Timeout);
        }, TaskCreationOptions.LongRunning)));

        Assert.All(outcomes, o => Assert.Null(o.NotIndexed));
        Assert.Single(outcomes, o => o.Created);
        Assert.Equal(true, IndexValidity(database));
    }

    [Fact]
    public void A_node_that_finds_another_building_the_index_starts_without_it_within_its_wait()
    {
        var database = postgres.NewDatabase();
        Execute(database, JournalAsThePluginCreatesIt);
        var settings = PostgreSql(database);
        var wait = TimeSpan.FromSeconds(2);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        JournalLookupIndex.Outcome outcome;
        using (var builder = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database) { Pooling = false }.ToString()))
        {
            builder.Open();
            using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({JournalLookupIndex.AdvisoryKey})", builder))
                take.ExecuteNonQuery();

            outcome = JournalLookupIndex.Ensure(settings, wait);
        }

        Assert.InRange(clock.Elapsed, wait - TimeSpan.FromMilliseconds(600), Timeout);
        Assert.False(outcome.Created);
        Assert.StartsWith("is being indexed by persistence id by another node for more than 2 s", outcome.NotIndexed);
        Assert.Null(IndexValidity(database));
        Assert.Equal(new JournalLookupIndex.Outcome(true, null), JournalLookupIndex.Ensure(settings, wait));
    }

    [Fact]
    public void An_index_a_failed_build_left_invalid_on_postgresql_is_built_again()
    {
        var database = postgres.NewDatabase();
        Execute(database, JournalAsThePluginCreatesIt
                          + $"CREATE INDEX {JournalLookupIndex.Name} ON journal (persistence_id, sequence_number);"
                          + $"UPDATE pg_index SET indisvalid = false WHERE indexrelid = '{JournalLookupIndex.Name}'::regclass;");
        var settings = PostgreSql(database);
        Assert.Equal(false, IndexValidity(database));
        Assert.False(JournalLookupIndex.Exists(settings));

        Assert.Equal(new JournalLookupIndex.Outcome(true, null), JournalLookupIndex.Ensure(settings, Timeout));

        Assert.Equal(true, IndexValidity(database));
    }
}
