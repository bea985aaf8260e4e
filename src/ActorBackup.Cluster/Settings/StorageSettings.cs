using Akka.Configuration;

namespace ActorBackup.Cluster.Settings;

/// <summary>
/// How a node writes its data at rest (<c>actorbackup.storage</c>, <c>actorbackup.quarantine</c>,
/// <c>actorbackup.encryption</c> and the PostgreSQL journal's naming and durability keys). Read from the actor system's
/// configuration by the serializer as well as by the node, so both always agree.
/// </summary>
/// <param name="CompressionLevel">zstd level of journal payloads.</param>
/// <param name="MergeCompressionLevel">zstd level of the merged events compaction writes, off the capture path.</param>
/// <param name="DictionaryBytes">Size of the zstd dictionary trained per table.</param>
/// <param name="DictionaryTrainingBytes">Packed documents of a table collected before its dictionary is trained.</param>
/// <param name="WalCheckpointInterval">Interval between two checkpoints that truncate the SQLite write-ahead logs.</param>
/// <param name="CompactEvery">Events a replica writes before it merges the runs of small ones among them into one each (0: never).</param>
/// <param name="InternInterval">How long the node collects hashes to intern before it persists them in one event.</param>
/// <param name="QuarantinePrefixBytes">Most bytes of a quarantined document kept as evidence.</param>
/// <param name="QuarantineMaxBytes">Most bytes of quarantine entries one replica keeps; past it they are only counted.</param>
/// <param name="KeyFile">Full path of the encryption key file, or null when data is written in clear.</param>
/// <param name="NodeName">The name that qualifies this node's persistence ids in a shared PostgreSQL journal (null with SQLite, or when unset); one node holds it (<see cref="Journal.PostgreSqlNamespaceClaim"/>).</param>
/// <param name="AllowUnsafeDurability">Whether a PostgreSQL server with fsync or synchronous_commit off is accepted.</param>
public sealed record StorageSettings(
    int CompressionLevel, int MergeCompressionLevel, int DictionaryBytes, long DictionaryTrainingBytes, TimeSpan WalCheckpointInterval, int CompactEvery,
    TimeSpan InternInterval, int QuarantinePrefixBytes, long QuarantineMaxBytes, string? KeyFile, string? NodeName, bool AllowUnsafeDurability)
{
    /// <summary>Reads and validates the storage keys from <paramref name="config"/>, falling back to reference.conf.</summary>
    /// <exception cref="BackupSettingsException">A value is missing, of the wrong type or out of range.</exception>
    public static StorageSettings Create(Config config)
    {
        var full = config.WithFallback(BackupConfig.Reference);
        return Read(new SettingsReader(full.GetConfig("actorbackup"), "actorbackup"));
    }

    private static int ReadCompactEvery(SettingsReader r)
    {
        var every = r.Int("storage.compact-every", 0, Journal.JournalCompaction.MaxEvents);
        if (every == 1)
            throw new BackupSettingsException("actorbackup.storage.compact-every must be 0 (off) or at least 2: a run of one event has nothing to merge (got 1).");
        return every;
    }

    internal static StorageSettings Read(SettingsReader r)
    {
        const long KiB = 1024, MiB = 1024 * KiB, GiB = 1024 * MiB;
        var keyFile = r.String("encryption.key-file", allowEmpty: true);
        var postgres = r.String("journal") == "postgresql";
        var nodeName = r.String("postgresql.node-name", allowEmpty: true);
        if (nodeName.Any(c => char.IsWhiteSpace(c) || c == '/'))
            throw new BackupSettingsException($"actorbackup.postgresql.node-name may contain neither spaces nor '/' (got \"{nodeName}\").");
        if (keyFile.Length > 0)
            Encryption.KeyFile.Read(Path.GetFullPath(keyFile));
        var prefix = (int)r.Size("quarantine.prefix-bytes", 0, 4 * MiB);
        return new StorageSettings(
            r.Int("storage.compression-level", 1, 19),
            r.Int("storage.merge-compression-level", 1, 19),
            (int)r.Size("storage.dictionary-size", KiB, MiB),
            r.Size("storage.dictionary-training-bytes", 64 * KiB, 256 * MiB),
            r.Duration("storage.wal-checkpoint-interval", TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)),
            ReadCompactEvery(r),
            r.Duration("storage.intern-interval", TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1)),
            prefix,
            r.Size("quarantine.max-bytes", prefix, 64 * GiB),
            keyFile.Length == 0 ? null : Path.GetFullPath(keyFile),
            postgres && nodeName.Length > 0 ? nodeName : null,
            r.Bool("postgresql.allow-unsafe-durability"));
    }
}
