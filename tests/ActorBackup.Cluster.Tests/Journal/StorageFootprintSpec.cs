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
/// against the ledger's raw JSON (docs/benchmarks.md, "Storage on disk"). The bound is the measured 0.401x plus a margin:
/// a layout change that costs a few percent of the raw JSON fails it.
/// </summary>
public sealed class StorageFootprintSpec(ITestOutputHelper output) : IDisposable
{
    private const double Bound = 0.43;
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
        var node = ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            actorbackup {
              data-dir = "{{_directory}}"
              shards = 1
              storage.dictionary-training-bytes = 256KiB
            }
            """);
        var settings = BackupSettings.Create(node);
        using var ledger = new SimulatedLedger("footprint", 1490000000);
        var documents = ledger.Next(2000).Where(SimulatedLedger.IsStorable).ToList();
        var raw = documents.Sum(d => (long)d.Json.Length);

        var system = ActorSystem.Create("footprint", node.WithFallback(JournalConfig.For(settings)).WithFallback(BackupConfig.Reference));
        try
        {
            JournalStartup.StartNodeStore(system, Timeout);
            foreach (var table in documents.GroupBy(d => d.Table))
            {
                var replica = system.ActorOf(ReplicaActor.Props(new ReplicaId(table.Key, 0), ReplicaOptions.From(settings)));
                var batch = 0;
                foreach (var chunk in table.Chunk(100))
                {
                    var records = chunk.Select(d => new CapturedRecord(d.Table, d.Id, d.Timestamp, d.Json, RecordVerdict.Verified)).ToArray();
                    var ack = await replica.Ask<RecordsStoredAck>(StoreRecords.Local(batch++, records), Timeout);
                    Assert.Equal(records.Length, ack.Stored + ack.Duplicates);
                }
                await replica.Ask<IndexFlushed>(FlushIndex.Instance, Timeout);
            }
        }
        finally
        {
            await system.Terminate();
        }
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.EnumerateFiles(_directory, "*.sqlite"))
            Assert.True(WalCheckpoints.Truncate(file), $"{file} could not be checkpointed");

        var files = Directory.EnumerateFiles(_directory, "*", SearchOption.AllDirectories).ToDictionary(f => Path.GetFileName(f), f => new FileInfo(f).Length);
        var onDisk = files.Values.Sum();
        output.WriteLine(string.Join(", ", files.Select(f => $"{f.Key} {f.Value}")));
        var ratio = (double)onDisk / raw;
        output.WriteLine($"{documents.Count} documents, {raw} bytes of JSON, {onDisk} bytes on disk: {ratio:0.000}x");
        Assert.True(ratio <= Bound, $"{onDisk} bytes on disk for {raw} bytes of JSON is {ratio:0.000}x, over {Bound}x");
    }
}
