using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Tests.Capture;
using Akka.Actor;
using Akka.Configuration;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace ActorBackup.Cluster.Tests.Journal;

/// <summary>
/// What one replica of a simulated ledger takes on disk with SQLite (journal and record index, logs checkpointed),
/// against the ledger's raw JSON (docs/benchmarks.md, "Storage on disk"), stored in catch-up batches and as a replica
/// following its source stores it. The bounds are the measured figures plus a margin: a layout change that costs a few
/// percent of the raw JSON fails them.
/// </summary>
public sealed class StorageFootprintSpec(ITestOutputHelper output) : IDisposable
{
    // Measured 0.378x (2,000 rounds, batches of 100; docs/benchmarks.md), plus a margin.
    private const double Bound = 0.40;

    // Measured 0.464x followed with compaction, 1.089x without (400 rounds, batches of 2; docs/benchmarks.md), plus a margin.
    private const double FollowedBound = 0.50;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("actorbackup-footprint-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_replica_of_a_simulated_ledger_takes_well_under_its_raw_json_on_disk()
    {
        var ratio = await Footprint("catch-up", rounds: 2000, recordsPerBatch: 100, compactEvery: 16);
        Assert.True(ratio <= Bound, $"{ratio:0.000}x of the raw JSON on disk, over {Bound}x");
    }

    /// <summary>
    /// The same ledger stored as a replica following its source stores it: a record or two per event. Compaction merges
    /// those events; without it every one pays its own journal row and zstd frame.
    /// </summary>
    [Fact]
    public async Task A_replica_following_its_source_takes_a_fraction_less_with_compaction_than_without()
    {
        var compacted = await Footprint("followed-compacted", rounds: 400, recordsPerBatch: 2, compactEvery: 16);
        var uncompacted = await Footprint("followed-uncompacted", rounds: 400, recordsPerBatch: 2, compactEvery: 0);

        Assert.True(compacted <= FollowedBound, $"{compacted:0.000}x of the raw JSON on disk with compaction, over {FollowedBound}x");
        Assert.True(compacted < uncompacted * 0.8, $"{compacted:0.000}x with compaction against {uncompacted:0.000}x without");
    }

    /// <summary>Stores a simulated ledger in one replica per table in batches of <paramref name="recordsPerBatch"/>; what its data directory takes against the raw JSON.</summary>
    private async Task<double> Footprint(string name, int rounds, int recordsPerBatch, int compactEvery)
    {
        var directory = Path.Combine(_directory, name);
        var node = ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            actorbackup {
              data-dir = "{{directory}}"
              shards = 1
              storage.dictionary-training-bytes = 256KiB
              storage.compact-every = {{compactEvery}}
            }
            """);
        var settings = BackupSettings.Create(node);
        using var ledger = new SimulatedLedger("footprint", 1490000000);
        var documents = ledger.Next(rounds).Where(SimulatedLedger.IsStorable).ToList();
        var raw = documents.Sum(d => (long)d.Json.Length);

        var system = ActorSystem.Create("footprint", node.WithFallback(JournalConfig.For(settings)).WithFallback(BackupConfig.Reference));
        try
        {
            JournalStartup.StartNodeStore(system, Timeout);
            foreach (var table in documents.GroupBy(d => d.Table))
            {
                var replica = system.ActorOf(ReplicaActor.Props(new ReplicaId(table.Key, 0), ReplicaOptions.From(settings)));
                var batch = 0;
                foreach (var chunk in table.Chunk(recordsPerBatch))
                {
                    var records = chunk.Select(d => new CapturedRecord(d.Table, d.Id, d.Timestamp, d.Json, RecordVerdict.Verified)).ToArray();
                    var ack = await replica.Ask<RecordsStoredAck>(StoreRecords.Local(batch++, records), Timeout);
                    Assert.Equal(records.Length, ack.Stored + ack.Duplicates);
                }
                await replica.Ask<IndexFlushed>(FlushIndex.Instance, Timeout);
            }
            // Compactions still running finish before the node stops (they are short transactions).
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        finally
        {
            await system.Terminate();
        }
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.EnumerateFiles(directory, "*.sqlite"))
            Assert.True(WalCheckpoints.Truncate(file), $"{file} could not be checkpointed");

        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetFileName(f), f => new FileInfo(f).Length);
        var onDisk = files.Values.Sum();
        output.WriteLine($"{name}: " + string.Join(", ", files.Select(f => $"{f.Key} {f.Value}")));
        var ratio = (double)onDisk / raw;
        output.WriteLine($"{name}: {documents.Count} documents in batches of {recordsPerBatch}, {raw} bytes of JSON, {onDisk} bytes on disk: {ratio:0.000}x");
        return ratio;
    }
}
