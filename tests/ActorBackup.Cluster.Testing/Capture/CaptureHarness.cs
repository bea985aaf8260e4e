using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Capture;
using ActorBackup.Cluster.Capture.Points;
using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Sources;
using ActorBackup.Ledger.Federation;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;
using Microsoft.Data.Sqlite;

namespace ActorBackup.Cluster.Tests.Capture;

/// <summary>A node's data directory in a fresh temp folder, the settings of a capture over given sources, and a clock the test may pin.</summary>
public sealed class CaptureHarness : IDisposable
{
    public CaptureHarness()
    {
        DataDirectory = Directory.CreateTempSubdirectory("actorbackup-capture-").FullName;
        Config = ConfigurationFactory.ParseString("akka.loglevel = WARNING")
            .WithFallback(JournalConfig.For(Settings(["127.0.0.1:28015"])))
            .WithFallback(BackupConfig.Reference);
    }

    public string DataDirectory { get; }

    /// <summary>The configuration of an actor system over this node's data directory.</summary>
    public Config Config { get; }

    /// <summary>When set, the node's clock reads this Unix time instead of the wall clock.</summary>
    public long? PinnedNow { get; set; }

    /// <summary>How far the node's clock is ahead of the wall clock (negative: behind), which the sources follow.</summary>
    public TimeSpan Skew { get; set; }

    public DateTimeOffset Now() => (PinnedNow is { } now ? DateTimeOffset.FromUnixTimeSeconds(now) : DateTimeOffset.UtcNow) + Skew;

    /// <summary>Settings of this node capturing from <paramref name="sources"/>, with short batches, backoffs and checkpoint steps.</summary>
    /// <param name="extra">HOCON under <c>actorbackup</c> that overrides the rest, e.g. <c>reconcile.enabled = off</c>.</param>
    public BackupSettings Settings(IEnumerable<string> sources, int shards = 2, int marginSeconds = 5, string extra = "") =>
        BackupSettings.Create(ConfigurationFactory.ParseString($$"""
            actorbackup {
              data-dir = "{{DataDirectory}}"
              sources = [{{string.Join(", ", sources.Select(s => $"\"{s}\""))}}]
              shards = {{shards}}
              catch-up-margin = {{marginSeconds}}s
              batch { max-records = 100, max-latency = 20ms }
              restart-backoff { min = 100ms, max = 400ms, random-factor = 0.1 }
              capture.checkpoint-interval = 200ms
              {{extra}}
            }
            """));

    /// <summary>
    /// The environment of a node capturing from <paramref name="sources"/> with this harness's clock as the node's own:
    /// the sources' clocks are measured against it, so a pinned clock is a node clock skewed from the sources'.
    /// </summary>
    public CaptureEnvironment Environment(FederationKeys federation, IEnumerable<string> sources, int shards = 2, int marginSeconds = 5, string extra = "")
    {
        var settings = Settings(sources, shards, marginSeconds, extra);
        Sessions = new SourceSessions(settings, Now, NoLogger.Instance);
        return CaptureEnvironment.Create(settings, federation, Sessions);
    }

    /// <summary>The source connections of the environment made last.</summary>
    public SourceSessions? Sessions { get; private set; }

    /// <summary>The reason code and id of every quarantined record in the node's index.</summary>
    public IReadOnlyList<(string Id, string Reason)> Quarantine()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, "index.sqlite")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        var ids = IndexIds.RecordedIn(connection, keys: null, "index.sqlite");
        cmd.CommandText = "SELECT id, reason FROM quarantine";
        using var reader = cmd.ExecuteReader();
        var rows = new List<(string, string)>();
        while (reader.Read()) rows.Add((ids.Read(reader, 0), reader.GetString(1)));
        return rows;
    }

    /// <summary>The timestamps of the stored records of each replica in the node's index, in the order the journal holds them.</summary>
    public IReadOnlyList<IReadOnlyList<long>> StoredTimestampsInJournalOrder()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(DataDirectory, "index.sqlite")};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT replica, timestamp FROM stored_rows ORDER BY replica, n";
        using var reader = cmd.ExecuteReader();
        var rows = new List<(long Replica, long Timestamp)>();
        while (reader.Read()) rows.Add((reader.GetInt64(0), reader.GetInt64(1)));
        return rows.GroupBy(r => r.Replica).Select(g => (IReadOnlyList<long>)g.Select(r => r.Timestamp).ToList()).ToList();
    }

    /// <summary>
    /// The point the capture actor <paramref name="capture"/> of <paramref name="system"/> persisted for its next start:
    /// it confirms one only after the journal flushed the watermark, so a capture stopped before sees none.
    /// </summary>
    public static async Task<Watermark> CapturePointAsync(ActorSystem system, IActorRef capture, TimeSpan timeout) =>
        (await system.ActorSelection(capture.Path / NodeActorPaths.CapturePoint).Ask<CapturePoint>(GetCapturePoint.Instance, timeout)).Point;

    public static ShardDigest DigestOf(IEnumerable<LedgerDocument> documents) =>
        documents.Aggregate(ShardDigest.Empty, (d, r) => d.Add(r.Digest));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(DataDirectory, recursive: true);
    }
}
