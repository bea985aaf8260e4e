using System.Text.RegularExpressions;
using ActorBackup.Ledger.Federation;
using Akka.Configuration;

namespace ActorBackup.Cluster.Settings;

/// <summary>
/// Everything under <c>actorbackup</c>, read once and validated. Keys, units and allowed values are
/// documented in reference.conf; <see cref="Create"/> fails with a one-line message naming the key.
/// </summary>
public sealed partial record BackupSettings
{
    /// <summary>The tables of a BigchainDB federation's RethinkDB that are captured and restorable.</summary>
    public static readonly IReadOnlyList<string> KnownTables = ["bigchain", "votes"];

    /// <summary>
    /// Why <c>backlog</c> is refused: its rows are reassigned and deleted as transactions wait and enter blocks, so no copy of
    /// it is ever complete up to a point in time, and the transactions that count are in the blocks.
    /// </summary>
    public const string BacklogRefusal =
        "actorbackup.tables: \"backlog\" cannot be backed up: its rows change (reassigned) and vanish (put into a block), so no watermark or "
        + "point-in-time restore can cover it, and its transactions are kept in the blocks once decided; list only bigchain and votes.";

    public required string Region { get; init; }
    public required IReadOnlyList<HostPort> Sources { get; init; }
    public required SourceCredentials Credentials { get; init; }
    public required string Database { get; init; }
    public required IReadOnlyList<string> Tables { get; init; }

    /// <summary>Full path of the federation key file, or null when not configured.</summary>
    public required string? FederationKeysPath { get; init; }

    public required int Shards { get; init; }
    public required int Replicas { get; init; }

    /// <summary>Full path of the node's data directory.</summary>
    public required string DataDirectory { get; init; }

    public required TimeSpan CatchUpMargin { get; init; }

    /// <summary>
    /// How long after its block a vote may be cast and still be read by a catch-up: votes are caught up through the
    /// blocks stamped since the scan point minus this.
    /// </summary>
    public required TimeSpan CatchUpVoteDelay { get; init; }
    public required SourceProbeSettings SourceProbe { get; init; }
    public required SourceConnectionSettings Source { get; init; }
    public required SourceTlsSettings SourceTls { get; init; }
    public required SourceClockSettings SourceClock { get; init; }
    public required int SnapshotEvery { get; init; }
    public required RecordIndexSettings RecordIndex { get; init; }
    public required TimeSpan AntiEntropyInterval { get; init; }
    public required RepairSettings Repair { get; init; }
    public required ReconcileSettings Reconcile { get; init; }
    public required AdminSettings Admin { get; init; }

    /// <summary>Mutual TLS between nodes, or null for plain TCP.</summary>
    public required TlsSettings? Tls { get; init; }

    public required BatchSettings Batch { get; init; }
    public required BackoffSettings RestartBackoff { get; init; }
    public required CaptureSettings Capture { get; init; }
    public required ImportSettings Import { get; init; }
    public required JournalKind Journal { get; init; }

    /// <summary>The PostgreSQL connection string when <see cref="Journal"/> is PostgreSQL, otherwise null.</summary>
    public required string? PostgreSqlConnectionString { get; init; }

    /// <summary>How data is written at rest: compression, quarantine bounds, encryption, journal naming and durability.</summary>
    public required StorageSettings Storage { get; init; }

    /// <summary>Reads and validates <c>actorbackup</c> from <paramref name="config"/>, falling back to reference.conf.</summary>
    /// <exception cref="BackupSettingsException">A key reference.conf does not have, a value missing, of the wrong type or out of range, or a table that cannot be backed up.</exception>
    /// <summary>The shard count alone (<c>actorbackup.shards</c>), validated as <see cref="Create"/> does, falling back to reference.conf.</summary>
    /// <exception cref="BackupSettingsException">It is missing, of the wrong type or out of range.</exception>
    public static int ShardsOf(Config config) =>
        ReadShards(new SettingsReader(config.WithFallback(BackupConfig.Reference).GetConfig("actorbackup"), "actorbackup"));

    private static int ReadShards(SettingsReader r) => r.Int("shards", 1, Sharding.KeySpace.MaxShards);

    public static BackupSettings Create(Config config)
    {
        KnownKeys.Check(config);
        var full = config.WithFallback(BackupConfig.Reference);
        var r = new SettingsReader(full.GetConfig("actorbackup"), "actorbackup");

        var region = r.String("region");
        if (!RegionPattern().IsMatch(region))
            throw new BackupSettingsException($"actorbackup.region may contain only letters, digits, '-', '_' and '.' (got \"{region}\").");

        var sources = r.StringList("sources");
        if (sources.Count == 0)
            throw new BackupSettingsException("actorbackup.sources must list at least one RethinkDB server as \"host:port\".");

        var tables = r.StringList("tables");
        if (tables.Count == 0)
            throw new BackupSettingsException($"actorbackup.tables must list at least one of {string.Join(", ", KnownTables)}.");
        foreach (var table in tables)
        {
            if (table == "backlog")
                throw new BackupSettingsException(BacklogRefusal);
            if (!KnownTables.Contains(table))
                throw new BackupSettingsException($"actorbackup.tables: \"{table}\" is not one of {string.Join(", ", KnownTables)}.");
        }
        var repeated = tables.GroupBy(t => t).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
            throw new BackupSettingsException($"actorbackup.tables lists \"{repeated.Key}\" more than once.");

        var keys = r.String("federation-keys", allowEmpty: true);
        var minBackoff = r.Duration("restart-backoff.min", TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
        var journalName = r.String("journal");
        var journal = journalName switch
        {
            "sqlite" => JournalKind.Sqlite,
            "postgresql" => JournalKind.PostgreSql,
            _ => throw new BackupSettingsException($"actorbackup.journal must be \"sqlite\" or \"postgresql\" (got \"{journalName}\")."),
        };
        var connectionString = r.String("postgresql.connection-string", allowEmpty: true);
        if (journal == JournalKind.PostgreSql && connectionString.Length == 0)
            throw new BackupSettingsException("actorbackup.postgresql.connection-string must be set when actorbackup.journal = \"postgresql\".");

        return new BackupSettings
        {
            Region = region,
            Sources = sources.Select(s => Endpoint(r, "sources", s)).ToArray(),
            Credentials = ReadCredentials(r),
            Database = r.String("database"),
            Tables = tables,
            FederationKeysPath = keys.Length == 0 ? null : Path.GetFullPath(keys),
            Shards = ReadShards(r),
            Replicas = r.Int("replicas", 1, 16),
            DataDirectory = Path.GetFullPath(r.String("data-dir")),
            CatchUpMargin = r.Duration("catch-up-margin", TimeSpan.Zero, TimeSpan.FromDays(1)),
            CatchUpVoteDelay = r.Duration("catch-up-vote-delay", TimeSpan.Zero, TimeSpan.FromDays(30)),
            SourceProbe = new SourceProbeSettings(
                r.Duration("source-probe.interval", TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1)),
                r.Duration("source-probe.timeout", TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10))),
            Source = new SourceConnectionSettings(
                r.Duration("source.connect-timeout", TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)),
                r.Duration("source.response-timeout", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)),
                r.Duration("source.keep-alive-idle", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)),
                r.Duration("source.host-backoff", TimeSpan.Zero, TimeSpan.FromHours(1)),
                r.Size("source.max-frame-size", 64 * KiB, GiB),
                r.Int("source.cursor-prefetch", 1, 64),
                r.Int("source.replicas-per-connection", 1, 500)),
            SourceTls = ReadTls(r),
            SourceClock = ReadClock(r),
            SnapshotEvery = r.Int("snapshot-every", 1, 1_000_000),
            RecordIndex = new RecordIndexSettings(
                r.Duration("record-index.flush-interval", TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(1)),
                r.Int("record-index.flush-records", 1, 1_000_000),
                r.Size("record-index.id-filter-size", 64 * KiB, GiB)),
            AntiEntropyInterval = r.Duration("anti-entropy-interval", TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)),
            Repair = new RepairSettings(
                r.Duration("repair.ask-timeout", TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)),
                r.Duration("repair.not-placed-retry", TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
                r.Double("repair.far-behind", 0.0, 1.0),
                r.Int("repair.ids-per-page", 1, 100_000),
                r.Size("repair.message-bytes", KiB, 4 * MiB),
                r.Duration("repair.write-latency", TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1))),
            Reconcile = new ReconcileSettings(
                r.Bool("reconcile.enabled"),
                r.Duration("reconcile.interval", TimeSpan.FromSeconds(10), TimeSpan.FromDays(1)),
                r.Double("reconcile.queries-per-second", 0.1, 10_000),
                r.Int("reconcile.queries-in-flight", 1, 1000),
                r.Int("reconcile.list-below", 1, 100_000),
                r.Int("reconcile.fetch-batch", 1, 10_000),
                r.Duration("reconcile.capture-wait", TimeSpan.Zero, TimeSpan.FromMinutes(1)),
                r.Duration("reconcile.capture-wait-max", TimeSpan.Zero, TimeSpan.FromHours(1)),
                r.Duration("reconcile.request-timeout", TimeSpan.FromSeconds(10), TimeSpan.FromDays(1))),
            Admin = AdminSettings.Read(r),
            Tls = TlsSettings.Read(r),
            Batch = new BatchSettings(
                r.Int("batch.max-records", 1, 10_000),
                r.Size("batch.max-bytes", KiB, 16 * MiB),
                r.Duration("batch.max-latency", TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1))),
            RestartBackoff = new BackoffSettings(
                minBackoff,
                r.Duration("restart-backoff.max", minBackoff, TimeSpan.FromHours(1)),
                r.Double("restart-backoff.random-factor", 0.0, 1.0)),
            Capture = Capturing(r),
            Import = new ImportSettings(
                r.Int("import.message-records", 1, 10_000),
                r.Size("import.message-bytes", KiB, 4 * MiB),
                r.Duration("import.owner-timeout", TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)),
                (int)r.Size("import.max-document-size", KiB, 16 * MiB),
                r.Int("import.batches-in-flight", 1, 64),
                r.Int("import.batches-queued", 1, 10_000)),
            Journal = journal,
            PostgreSqlConnectionString = journal == JournalKind.PostgreSql ? connectionString : null,
            Storage = StorageSettings.Read(r),
        };
    }

    /// <summary>The federation's public keys, read from <see cref="FederationKeysPath"/>.</summary>
    /// <exception cref="BackupSettingsException">No key file is configured, or it cannot be read (one line).</exception>
    public FederationKeys LoadFederationKeys()
    {
        if (FederationKeysPath is null)
            throw new BackupSettingsException("actorbackup.federation-keys must name the federation's key file: capture verifies every signature against it.");
        try
        {
            return FederationKeyFile.Load(FederationKeysPath);
        }
        catch (InvalidDataException e)
        {
            throw new BackupSettingsException($"actorbackup.federation-keys: {e.Message}");
        }
    }

    /// <summary><c>actorbackup.capture</c>, its parallelism of 0 resolved to the number of CPU cores.</summary>
    private static CaptureSettings Capturing(SettingsReader r)
    {
        var parallelism = r.Int("capture.parallelism", 0, 1024);
        return new CaptureSettings(
            r.Duration("capture.checkpoint-interval", TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10)),
            r.Duration("capture.journal-timeout", TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)),
            r.Int("capture.recent-window", 1, 10_000_000),
            parallelism == 0 ? Environment.ProcessorCount : parallelism,
            r.Int("capture.journal-writes-in-flight", 1, 16),
            r.Duration("capture.journal-status-timeout", TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5)),
            r.Duration("capture.journal-poll-interval", TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1)),
            r.Duration("capture.catch-up-join-window", TimeSpan.Zero, TimeSpan.FromMinutes(1)),
            r.Duration("capture.catch-up-stall-timeout", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)),
            r.Duration("capture.point-rest-step", TimeSpan.Zero, TimeSpan.FromHours(1)));
    }

    private static HostPort Endpoint(SettingsReader r, string path, string text) =>
        HostPort.TryParse(text, out var error)
        ?? throw new BackupSettingsException($"{r.Key(path)}: \"{text}\" is not a valid \"host:port\" ({error}).");

    private const long KiB = 1024, MiB = 1024 * KiB, GiB = 1024 * MiB;

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex RegionPattern();
}
