using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Tests.Node;
using ActorBackup.Cluster.Tests.Replica;
using ActorBackup.Sandbox;
using Akka.Actor;
using Akka.Configuration;
using Npgsql;

namespace ActorBackup.Cluster.Tests.Journal;

/// <summary>
/// Nodes journaling to one real PostgreSQL database: each node-name (and the empty one) is held by the first node to
/// start with it, so two nodes never mix their records there.
/// </summary>
public sealed class PostgreSqlNamespaceClaimSpec(PostgresFixture postgres) : IClassFixture<PostgresFixture>, IDisposable
{
    private static readonly ReplicaId Votes17 = new("votes", 17);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The shard count <see cref="Samples.VoteInShard"/> places votes by (reference.conf's).</summary>
    private const int SampleShards = 64;

    private readonly TestNodeFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>A node of its own cluster, without sources, journaling to <paramref name="connectionString"/>.</summary>
    private NodeConfiguration PostgreSqlNode(string name, string connectionString, string nodeName)
    {
        var port = FreePort.Next();
        return NodeConfiguration.FromConfig(ConfigurationFactory.ParseString(_files.NodeHocon(name, "eu-west", port, FreePort.Next(), port, $"""
            actorbackup.journal = postgresql
            actorbackup.postgresql.connection-string = "{connectionString}"
            actorbackup.postgresql.node-name = "{nodeName}"
            """)), name);
    }

    private static CapturedRecord[] Votes(int from, int count) =>
        Enumerable.Range(from, count).Select(i => Samples.VoteInShard(17, i, 1490000000 + i)).ToArray();

    private static ShardDigest DigestOf(IEnumerable<CapturedRecord> records) =>
        records.Aggregate(ShardDigest.Empty, (d, r) => d.Add(RecordDigest.Of(r)));

    /// <summary>The replica of votes shard 17 in <paramref name="system"/>, under that system's persistence ids.</summary>
    private static IActorRef Replica(ActorSystem system, BackupSettings settings) =>
        system.ActorOf(ReplicaActor.Props(Votes17, ReplicaOptions.From(settings) with { Shards = SampleShards }));

    /// <summary>Stores <paramref name="records"/> in the node's replica of votes shard 17.</summary>
    private static async Task Store(BackupNode node, CapturedRecord[] records)
    {
        var replica = Replica(node.System, node.Configuration.Settings);
        Assert.Equal(new RecordsStoredAck(1, records.Length, 0), await replica.Ask<RecordsStoredAck>(StoreRecords.Local(1, records), Timeout));
    }

    /// <summary>What the node's replica of votes shard 17 holds, as it recovers from the journal.</summary>
    private static Task<ReplicaStatus> StoredIn(BackupNode node) =>
        Replica(node.System, node.Configuration.Settings).Ask<ReplicaStatus>(GetReplicaStatus.Instance, Timeout);

    private string RecordedNodeId(string name) => File.ReadAllText(Path.Combine(_files.DataDir(name), NodeId.FileName)).Trim();

    private static List<string> Rows(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(string.Join("|", Enumerable.Range(0, reader.FieldCount).Select(i => Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return rows;
    }

    private static List<string> Claims(string connectionString) =>
        Rows(connectionString, $"SELECT namespace, node_id, host, data_dir, claimed_at FROM {PostgreSqlNamespaceClaim.Table} ORDER BY namespace");

    /// <summary>Every table of the database with every row, in order: equal before and after means nothing changed.</summary>
    private static List<string> Everything(string connectionString)
    {
        var everything = new List<string>();
        foreach (var table in Rows(connectionString, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"))
        {
            everything.Add($"table {table}");
            everything.AddRange(Rows(connectionString, $"SELECT * FROM \"{table}\" ORDER BY 1").Select(row => $"{table}: {row}"));
        }
        return everything;
    }

    [Fact]
    public async Task Two_nodes_with_different_node_names_on_one_database_keep_separate_records()
    {
        var database = postgres.NewDatabase();
        var (first, second) = (Votes(0, 30), Votes(100, 40));
        await using (var a = BackupNode.Start(PostgreSqlNode("a", database, "a")))
        await using (var b = BackupNode.Start(PostgreSqlNode("b", database, "b")))
        {
            await Store(a, first);
            await Store(b, second);
        }

        // Restarted, each node reads its replica back from the journal: its own records, none of the other's.
        await using (var a = BackupNode.Start(PostgreSqlNode("a", database, "a")))
        await using (var b = BackupNode.Start(PostgreSqlNode("b", database, "b")))
        {
            var (ofA, ofB) = (await StoredIn(a), await StoredIn(b));
            Assert.Equal((30L, DigestOf(first)), (ofA.StoredCount, ofA.Digest));
            Assert.Equal((40L, DigestOf(second)), (ofB.StoredCount, ofB.Digest));
        }
        Assert.Equal(["a/replica-votes-017", "b/replica-votes-017"],
            Rows(database, "SELECT DISTINCT persistence_id FROM journal WHERE persistence_id LIKE '%replica-votes-017' ORDER BY 1"));
        Assert.Equal([$"a|{RecordedNodeId("a")}", $"b|{RecordedNodeId("b")}"],
            Rows(database, $"SELECT namespace, node_id FROM {PostgreSqlNamespaceClaim.Table} ORDER BY 1"));
        Assert.NotEqual(RecordedNodeId("a"), RecordedNodeId("b"));
    }

    [Fact]
    public async Task A_second_node_without_a_node_name_on_the_database_of_another_is_refused_with_one_line_and_changes_nothing()
    {
        var database = postgres.NewDatabase();
        var records = Votes(0, 25);
        await using (var first = BackupNode.Start(PostgreSqlNode("first", database, "")))
        {
            await Store(first, records);

            var whileRunning = Assert.Throws<BackupSettingsException>(() => BackupNode.Start(PostgreSqlNode("second", database, "")));

            Assert.StartsWith($"actorbackup.postgresql.node-name is empty, but the database's unqualified persistence ids are another node's (node-id {RecordedNodeId("first")}, "
                              + $"data directory {_files.DataDir("first")} on {Environment.MachineName}, since ", whileRunning.Message);
            Assert.Contains(" UTC): set actorbackup.postgresql.node-name to a name of this node's own, so that the two keep separate records; ", whileRunning.Message);
            Assert.DoesNotContain('\n', whileRunning.Message);
        }
        var before = Everything(database);

        Assert.Throws<BackupSettingsException>(() => BackupNode.Start(PostgreSqlNode("second", database, "")));

        Assert.Equal(before, Everything(database));
        Assert.Single(Claims(database));
        await using (var first = BackupNode.Start(PostgreSqlNode("first", database, "")))
        {
            var status = await StoredIn(first);
            Assert.Equal((25L, DigestOf(records)), (status.StoredCount, status.Digest));
        }
    }

    [Fact]
    public async Task A_node_on_a_copy_of_a_running_nodes_data_directory_is_refused_while_that_node_runs()
    {
        var database = postgres.NewDatabase();
        await using (var original = BackupNode.Start(PostgreSqlNode("original", database, "n1")))
        {
            await Store(original, Votes(0, 10));
            Directory.CreateDirectory(_files.DataDir("copy"));
            File.Copy(Path.Combine(_files.DataDir("original"), NodeId.FileName), Path.Combine(_files.DataDir("copy"), NodeId.FileName));

            var e = Assert.Throws<BackupSettingsException>(() => BackupNode.Start(PostgreSqlNode("copy", database, "n1")));

            Assert.Equal("actorbackup.postgresql.node-name: another running node writes the database's persistence ids named \"n1\" under this node's node-id: "
                         + "it runs on a copy of this data directory; give each node a data directory (and so a node-id) of its own", e.Message);
            Assert.Equal(RecordedNodeId("original"), RecordedNodeId("copy"));
        }

        // Once the original stops, its copy is that node: it starts and reads the records.
        await using var copy = BackupNode.Start(PostgreSqlNode("copy", database, "n1"));
        Assert.Equal(10L, (await StoredIn(copy)).StoredCount);
    }

    [Fact]
    public async Task A_second_node_with_the_node_name_another_holds_is_refused_naming_the_name()
    {
        var database = postgres.NewDatabase();
        await using var first = BackupNode.Start(PostgreSqlNode("first", database, "n1"));

        var e = Assert.Throws<BackupSettingsException>(() => BackupNode.Start(PostgreSqlNode("second", database, "n1")));

        Assert.StartsWith($"actorbackup.postgresql.node-name: \"n1\" already names another node in this database (node-id {RecordedNodeId("first")}, ", e.Message);
        Assert.Contains("two nodes use the same node-name; give each a name of its own", e.Message);
        Assert.Equal([$"n1|{RecordedNodeId("first")}"], Rows(database, $"SELECT namespace, node_id FROM {PostgreSqlNamespaceClaim.Table}"));
    }

    [Fact]
    public async Task The_same_node_restarting_keeps_its_claim()
    {
        var database = postgres.NewDatabase();
        await using (BackupNode.Start(PostgreSqlNode("solo", database, "n1")))
        {
        }
        var claims = Claims(database);

        await using (var again = BackupNode.Start(PostgreSqlNode("solo", database, "n1")))
            Assert.False(again.WhenTerminated.IsCompleted);

        Assert.Equal(claims, Claims(database));
        Assert.StartsWith($"n1|{RecordedNodeId("solo")}|", Assert.Single(claims));
    }

    /// <summary>Journals <paramref name="records"/> as an earlier version did: under unqualified ids, claiming nothing.</summary>
    private async Task WriteAsAnEarlierVersion(string database, CapturedRecord[] records)
    {
        var earlier = BackupSettings.Create(ConfigurationFactory.ParseString($$"""
            actorbackup {
              data-dir = "{{_files.DataDir("earlier")}}"
              journal = postgresql
              postgresql.connection-string = "{{database}}"
            }
            """));
        var system = ActorSystem.Create("earlier", ConfigurationFactory.ParseString("akka.loglevel = WARNING")
            .WithFallback(JournalConfig.For(earlier)).WithFallback(BackupConfig.Reference));
        try
        {
            JournalStartup.StartNodeStore(system, Timeout);
            await Replica(system, earlier).Ask<RecordsStoredAck>(StoreRecords.Local(1, records), Timeout);
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task A_database_an_earlier_version_wrote_without_claims_is_claimed_by_the_first_node_and_still_reads()
    {
        var database = postgres.NewDatabase();
        var records = Votes(0, 20);
        await WriteAsAnEarlierVersion(database, records);
        Assert.Equal(["replica-votes-017"], Rows(database, "SELECT DISTINCT persistence_id FROM journal WHERE persistence_id LIKE '%votes%'"));
        Assert.Equal([""], Rows(database, $"SELECT to_regclass('{PostgreSqlNamespaceClaim.Table}')::text"));
        const string JournalIndexes = "SELECT indexname FROM pg_indexes WHERE tablename = 'journal' ORDER BY indexname";
        Assert.DoesNotContain(JournalLookupIndex.Name, Rows(database, JournalIndexes));

        await using var node = BackupNode.Start(PostgreSqlNode("upgraded", database, ""));

        Assert.Contains(JournalLookupIndex.Name, Rows(database, JournalIndexes));

        var status = await StoredIn(node);
        Assert.Equal((20L, DigestOf(records)), (status.StoredCount, status.Digest));
        Assert.Equal([$"|{RecordedNodeId("upgraded")}"], Rows(database, $"SELECT namespace, node_id FROM {PostgreSqlNamespaceClaim.Table}"));
    }

    [Fact]
    public async Task Of_nodes_claiming_one_name_at_once_exactly_one_holds_it()
    {
        var database = postgres.NewDatabase();
        var claimants = Enumerable.Range(0, 8).Select(i => new NamespaceClaimant($"{i:x32}", "host", $"/data/{i}")).ToArray();
        using var start = new Barrier(claimants.Length);

        var outcomes = await Task.WhenAll(claimants.Select(c => Task.Run(() =>
        {
            start.SignalAndWait();
            try
            {
                PostgreSqlNamespaceClaim.Claim(database, "n1", c, _ => { }, _ => { });
                return c.NodeId;
            }
            catch (BackupSettingsException)
            {
                return null;
            }
        })));

        var winner = Assert.Single(outcomes, o => o is not null);
        Assert.Equal([$"n1|{winner}"], Rows(database, $"SELECT namespace, node_id FROM {PostgreSqlNamespaceClaim.Table}"));
    }

    [Fact]
    public async Task A_named_node_on_an_earlier_versions_database_is_warned_of_the_unqualified_records_it_does_not_read_until_a_node_holds_them()
    {
        var database = postgres.NewDatabase();
        await WriteAsAnEarlierVersion(database, Votes(0, 5));
        var (claimed, warnings) = (new List<string>(), new List<string>());

        PostgreSqlNamespaceClaim.Claim(database, "n1", new NamespaceClaimant($"{1:x32}", "host", "/data/1"), claimed.Add, warnings.Add);
        PostgreSqlNamespaceClaim.Claim(database, "", new NamespaceClaimant($"{2:x32}", "host", "/data/2"), claimed.Add, warnings.Add);
        PostgreSqlNamespaceClaim.Claim(database, "n3", new NamespaceClaimant($"{3:x32}", "host", "/data/3"), claimed.Add, warnings.Add);

        Assert.Equal(
            "The PostgreSQL journal also holds unqualified persistence ids that no node holds, written without actorbackup.postgresql.node-name (by an earlier version): "
            + "this node, named \"n1\", does not read them (the node that wrote them does when started with an empty node-name)",
            Assert.Single(warnings));
        Assert.Equal(
            [
                $"The PostgreSQL journal's persistence ids named \"n1\" are now this node's (node-id {1:x32}, recorded in {PostgreSqlNamespaceClaim.Table})",
                $"The PostgreSQL journal's unqualified persistence ids are now this node's (node-id {2:x32}, recorded in {PostgreSqlNamespaceClaim.Table})",
                $"The PostgreSQL journal's persistence ids named \"n3\" are now this node's (node-id {3:x32}, recorded in {PostgreSqlNamespaceClaim.Table})",
            ],
            claimed);
    }
}
