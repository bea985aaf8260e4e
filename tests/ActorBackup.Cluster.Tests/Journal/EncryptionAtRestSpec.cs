using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Encryption;
using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Node;
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

/// <summary>A replica's journal written with <c>actorbackup.encryption.key-file</c> set, read back with the right key, a wrong one and none.</summary>
public sealed class EncryptionAtRestSpec : IDisposable
{
    private static readonly ReplicaId Votes17 = new("votes", 17);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("actorbackup-encrypted-").FullName;

    private string DataDirectory => Path.Combine(_directory, "data");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    private string NewKeyFile(string name)
    {
        var path = Path.Combine(_directory, name);
        KeyFile.Create(path, overwrite: false);
        return path;
    }

    private (Config Config, BackupSettings Settings) Node(string? keyFile)
    {
        var node = ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            actorbackup {
              data-dir = "{{DataDirectory}}"
              snapshot-every = 10
              storage.dictionary-training-bytes = 64KiB
              encryption.key-file = "{{keyFile ?? ""}}"
            }
            """);
        var settings = BackupSettings.Create(node);
        return (node.WithFallback(JournalConfig.For(settings)).WithFallback(BackupConfig.Reference), settings);
    }

    private static CapturedRecord[] Batch(int from, int count) =>
        Enumerable.Range(from, count).Select(i => Samples.VoteInShard(17, i, 1490000000 + i)).ToArray();

    private static readonly QuarantinedRecord Forged = new(Samples.VoteInShard(17, 9999, 1490000500) with { Verdict = RecordVerdict.Quarantined }, "bad-signature", "x");

    /// <summary>Writes 1000 votes (the later ones compressed with a dictionary trained from the first), a quarantined one and a watermark.</summary>
    private async Task<(ReplicaStatus Status, CapturedRecord[] Records)> WriteLedger(string? keyFile)
    {
        var (config, settings) = Node(keyFile);
        var system = ActorSystem.Create("writer", config);
        try
        {
            JournalStartup.StartNodeStore(system, Timeout);
            var replica = system.ActorOf(ReplicaActor.Props(Votes17, ReplicaOptions.From(settings)));
            var records = new List<CapturedRecord>();
            for (var b = 0; b < 40; b++)
            {
                var batch = Batch(b * 20, 20);
                await replica.Ask<RecordsStoredAck>(StoreRecords.Local(b, batch), Timeout);
                records.AddRange(batch);
            }
            await Eventually.Passes(() => Assert.NotNull(AtRest.Get(system).Dictionaries.Current("votes")), Timeout);
            for (var b = 40; b < 50; b++)
            {
                var batch = Batch(b * 20, 20);
                await replica.Ask<RecordsStoredAck>(StoreRecords.Local(b, batch), Timeout);
                records.AddRange(batch);
            }
            await replica.Ask<RecordsQuarantinedAck>(QuarantineRecords.Local(99, [Forged]), Timeout);
            await replica.Ask<WatermarkAck>(AdvanceWatermark.Local(Watermark.At(1490001000)), Timeout);
            await replica.Ask<IndexFlushed>(FlushIndex.Instance, Timeout);
            return (await replica.Ask<ReplicaStatus>(GetReplicaStatus.Instance, Timeout), records.ToArray());
        }
        finally
        {
            await system.Terminate();
        }
    }

    /// <summary>Every form an id or a document's value may take on disk: as written, and hex or UUID digits as the bytes they spell.</summary>
    private static IEnumerable<byte[]> Needles(IEnumerable<CapturedRecord> records) => records.SelectMany(r => new[]
    {
        System.Text.Encoding.ASCII.GetBytes(r.Id),
        Convert.FromHexString(r.Id.Replace("-", "", StringComparison.Ordinal)),
    }).Concat(Enumerable.Range(0, 1001).SelectMany(n => new[] { System.Text.Encoding.ASCII.GetBytes(Samples.BlockId(n)), Convert.FromHexString(Samples.BlockId(n)) }))
      .Append("4K9sWUMFwTgaDGPfdynrbxWqWS6sWmKbZoTjxLtVUibD"u8.ToArray())
      .Append(System.Text.Encoding.ASCII.GetBytes(Forged.Record.Id));

    /// <summary>The needles found in any file of the data directory: journal and record index (database, WAL, shared memory) and the rest.</summary>
    private List<string> FoundInDataDirectory(IEnumerable<byte[]> needles)
    {
        SqliteConnection.ClearAllPools();
        var files = Directory.EnumerateFiles(DataDirectory, "*", SearchOption.AllDirectories).ToList();
        Assert.Contains(files, f => f.EndsWith("journal.sqlite", StringComparison.Ordinal));
        Assert.Contains(files, f => f.EndsWith("index.sqlite", StringComparison.Ordinal));
        var contents = files.Select(File.ReadAllBytes).ToList();
        return needles.Where(n => contents.Any(c => c.AsSpan().IndexOf(n) >= 0)).Select(Convert.ToHexStringLower).ToList();
    }

    private List<string> JournalManifests()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, "journal.sqlite")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT manifest FROM journal WHERE persistence_id LIKE 'replica-%'";
        using var reader = cmd.ExecuteReader();
        var manifests = new List<string>();
        while (reader.Read()) manifests.Add(reader.GetString(0));
        return manifests;
    }

    [Fact]
    public async Task With_encryption_on_no_id_or_value_of_the_ledger_is_in_any_file_of_the_data_directory_and_the_right_key_reads_every_record_back()
    {
        var key = NewKeyFile("at-rest.key");
        var (written, records) = await WriteLedger(key);

        Assert.Empty(FoundInDataDirectory(Needles(records)));
        // The batches were merged by compaction (snapshot-every = 10) and the merged events are sealed as well.
        await Eventually.Passes(() => Assert.Contains("~RM", JournalManifests()), Timeout);
        Assert.DoesNotContain(JournalManifests(), m => !m.StartsWith('~'));

        var (config, settings) = Node(key);
        var system = ActorSystem.Create("reader", config);
        try
        {
            JournalStartup.StartNodeStore(system, Timeout);
            var replica = system.ActorOf(ReplicaActor.Props(Votes17, ReplicaOptions.From(settings)));
            var status = await replica.Ask<ReplicaStatus>(GetReplicaStatus.Instance, Timeout);
            Assert.Equal((written.StoredCount, written.QuarantinedCount, written.Digest, written.BackedUpTo), (status.StoredCount, status.QuarantinedCount, status.Digest, status.BackedUpTo));
            var read = await new ReplicaReader(system).Stored(Votes17).RunWith(Sink.Seq<CapturedRecord>(), system.Materializer());
            Assert.Equal(records.Select(r => (r.Id, Convert.ToHexStringLower(r.Json.Span))).Order(), read.Select(r => (r.Id, Convert.ToHexStringLower(r.Json.Span))).Order());
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public async Task Without_encryption_the_same_search_finds_the_ledgers_ids_so_it_can_see_them()
    {
        var (_, records) = await WriteLedger(null);

        Assert.NotEmpty(FoundInDataDirectory(Needles(records)));
    }

    [Fact]
    public async Task A_node_started_with_another_key_or_none_stops_with_one_line_naming_the_key_it_lacks()
    {
        var key = NewKeyFile("at-rest.key");
        await WriteLedger(key);
        var keyId = KeyRing.Show(KeyFile.Read(key).CurrentId);
        var wrong = NewKeyFile("wrong.key");

        Assert.Equal(
            $"the journal holds data encrypted with key {keyId}, which {wrong} does not hold: use the key file the data was written with (keys rotate adds a key and keeps the old ones)",
            await StartFails(wrong));
        Assert.Equal(
            $"the journal holds data encrypted at rest with key {keyId}: set actorbackup.encryption.key-file to the key file it was written with",
            await StartFails(null));
    }

    private async Task<string> StartFails(string? keyFile)
    {
        var system = ActorSystem.Create("refused", Node(keyFile).Config);
        try
        {
            return Assert.Throws<NodeStartException>(() => JournalStartup.StartNodeStore(system, Timeout)).Message;
        }
        finally
        {
            await system.Terminate();
        }
    }
}
