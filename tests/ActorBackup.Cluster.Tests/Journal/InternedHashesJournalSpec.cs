using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Cluster.Serialization;
using ActorBackup.Cluster.Settings;
using ActorBackup.Testing;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;
using Microsoft.Data.Sqlite;

namespace ActorBackup.Cluster.Tests.Journal;

/// <summary>
/// A node whose votes in several replicas name the same blocks keeps each block's hash once, in its own journal entry,
/// and its replicas' events name it by number: the votes read back exactly after a restart, and without the entry they
/// cannot be read rather than read as other documents.
/// </summary>
public sealed class InternedHashesJournalSpec : IDisposable
{
    private static readonly ReplicaId[] Replicas = [new("votes", 17), new("votes", 18), new("votes", 19)];
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const int Blocks = 100;
    private readonly string _directory = Directory.CreateTempSubdirectory("actorbackup-interned-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private (Config Config, BackupSettings Settings) Node()
    {
        var node = ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            actorbackup {
              data-dir = "{{_directory}}"
              storage.compact-every = 0
              storage.intern-interval = 100ms
            }
            """);
        var settings = BackupSettings.Create(node);
        return (node.WithFallback(JournalConfig.For(settings)).WithFallback(BackupConfig.Reference), settings);
    }

    /// <summary>
    /// The votes of one voter for blocks 0 to <see cref="Blocks"/>, whose ids fall in the voter's replica: vote n names
    /// block n and block n + 1, as a chain of votes does.
    /// </summary>
    private static CapturedRecord[] VotesOf(int voter) =>
        Enumerable.Range(0, Blocks).Select(n => Samples.Vote($"{Replicas[voter].Shard * 4:x2}{n:x6}-0716-4f8e-a580-9e09763434c0", 1490000000 + n, n)).ToArray();

    private static async Task Store(IActorRef replica, CapturedRecord[] votes)
    {
        foreach (var (batch, i) in votes.Chunk(10).Select((b, i) => (b, i)))
            await replica.Ask<RecordsStoredAck>(StoreRecords.Local(i, batch), Timeout);
        await replica.Ask<IndexFlushed>(FlushIndex.Instance, Timeout);
    }

    /// <summary>
    /// Stores the three voters' votes, the third voter's once the node interned the blocks the first two named in two
    /// replicas; the last journal row of the first two, and what was written.
    /// </summary>
    private async Task<(long LastRowBefore, CapturedRecord[][] Votes)> WriteVotes(Config config, BackupSettings settings)
    {
        var votes = Enumerable.Range(0, Replicas.Length).Select(VotesOf).ToArray();
        var system = ActorSystem.Create("writer", config);
        try
        {
            JournalStartup.StartNodeStore(system, Timeout);
            var replicas = Replicas.Select(r => system.ActorOf(ReplicaActor.Props(r, ReplicaOptions.From(settings)))).ToArray();
            // Within one replica a block named twice is no reason to intern it: its events compress the repeat.
            await Store(replicas[0], votes[0]);
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Equal(0, AtRest.Get(system).Hashes.Count);
            // The second voter's votes, in another replica, name blocks 0 to 100 again.
            await Store(replicas[1], votes[1]);
            await Eventually.Passes(() => Assert.Equal(Blocks + 1, AtRest.Get(system).Hashes.Count), Timeout);
            var lastRowBefore = LastReplicaRow();
            await Store(replicas[2], votes[2]);
            return (lastRowBefore, votes);
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task Votes_name_the_blocks_hashes_by_number_once_the_node_interned_them_and_read_back_exactly_after_a_restart()
    {
        var (config, settings) = Node();
        var (lastRowBefore, votes) = await WriteVotes(config, settings);

        var interned = Enumerable.Range(0, Blocks + 1).Select(n => Convert.FromHexString(Samples.BlockId(n))).ToArray();
        var later = ReplicaPayloadsAfter(lastRowBefore);
        Assert.NotEmpty(later);
        Assert.DoesNotContain(interned, h => later.Any(p => p.AsSpan().IndexOf(h) >= 0));

        var system = ActorSystem.Create("reader", config);
        try
        {
            JournalStartup.StartNodeStore(system, Timeout);
            Assert.Equal(Blocks + 1, AtRest.Get(system).Hashes.Count);
            foreach (var (replica, written) in Replicas.Zip(votes))
            {
                var read = await new ReplicaReader(system).Stored(replica).RunWith(Sink.Seq<CapturedRecord>(), system.Materializer());
                Assert.Equal(written.Select(r => (r.Id, Convert.ToHexStringLower(r.Json.Span))).Order(),
                    read.Select(r => (r.Id, Convert.ToHexStringLower(r.Json.Span))).Order());
            }
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>
    /// A numbered hash changed on disk, or the node's interned hashes lost: the payloads that name them are refused
    /// for what they vouch for, rather than read back as documents naming other blocks.
    /// </summary>
    [Theory]
    [InlineData("a byte of the first batch changed", "its journal does not hold them as they were when it was written")]
    [InlineData("every batch deleted", "its journal holds 0")]
    public async Task Votes_whose_interned_hashes_the_journal_no_longer_holds_as_written_are_refused(string damage, string message)
    {
        var (config, settings) = Node();
        await WriteVotes(config, settings);

        if (damage.StartsWith("a byte", StringComparison.Ordinal)) FlipLastByteOfFirstBatch();
        else Execute("DELETE FROM journal WHERE manifest = 'HI'");
        var system = ActorSystem.Create("damaged", config);
        try
        {
            JournalStartup.StartNodeStore(system, Timeout);
            var error = await Assert.ThrowsAnyAsync<Exception>(() => new ReplicaReader(system).Stored(Replicas[2]).RunWith(Sink.Seq<CapturedRecord>(), system.Materializer()));
            Assert.Contains(message, Messages(error));
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static string Messages(Exception? e)
    {
        var messages = new List<string>();
        for (; e is not null; e = e.InnerException) messages.Add(e.Message);
        return string.Join(" / ", messages);
    }

    private SqliteConnection Open()
    {
        SqliteConnection.ClearAllPools();
        var connection = new SqliteConnection($"Data Source={Path.Combine(_directory, "journal.sqlite")};Pooling=False");
        connection.Open();
        return connection;
    }

    private long LastReplicaRow()
    {
        using var connection = Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT max(ordering) FROM journal WHERE persistence_id LIKE 'replica-%'";
        return (long)cmd.ExecuteScalar()!;
    }

    private List<byte[]> ReplicaPayloadsAfter(long row)
    {
        using var connection = Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT message FROM journal WHERE persistence_id LIKE 'replica-%' AND ordering > $n";
        cmd.Parameters.AddWithValue("$n", row);
        using var reader = cmd.ExecuteReader();
        var payloads = new List<byte[]>();
        while (reader.Read()) payloads.Add((byte[])reader[0]);
        return payloads;
    }

    /// <summary>The last byte of the first batch of interned hashes, the last byte of its last hash, changed.</summary>
    private void FlipLastByteOfFirstBatch()
    {
        using var connection = Open();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT ordering, message FROM journal WHERE manifest = 'HI' ORDER BY ordering LIMIT 1";
        long ordering;
        byte[] message;
        using (var reader = read.ExecuteReader())
        {
            Assert.True(reader.Read(), "no batch of interned hashes");
            (ordering, message) = (reader.GetInt64(0), (byte[])reader[1]);
        }
        message[^1] ^= 1;
        using var write = connection.CreateCommand();
        write.CommandText = "UPDATE journal SET message = $message WHERE ordering = $ordering";
        write.Parameters.AddWithValue("$message", message);
        write.Parameters.AddWithValue("$ordering", ordering);
        Assert.Equal(1, write.ExecuteNonQuery());
    }

    private void Execute(string sql)
    {
        using var connection = Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        Assert.True(cmd.ExecuteNonQuery() > 0, $"{sql} changed nothing");
    }
}
