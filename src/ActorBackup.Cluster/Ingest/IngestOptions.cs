using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Sharding;
using ActorBackup.Ledger.Federation;
using ActorBackup.Ledger.Validation;

namespace ActorBackup.Cluster.Ingest;

/// <summary>
/// What a node's <see cref="IngestActor"/> needs: the tables, the key space and R, the validator built from the
/// federation's keys (null when the node has none: it then refuses imports), and the bounds of its work.
/// </summary>
public sealed record IngestOptions(IReadOnlyList<string> Tables, KeySpace Keys, int Replicas, LedgerValidator? Validator)
{
    /// <summary>
    /// Most bytes of record JSON in one message to a replica. Akka.Remote drops frames above 128 kB; a half of
    /// that before compression leaves room for the envelope whatever the compression achieves.
    /// </summary>
    public int MaxMessageBytes { get; init; } = 64 * 1024;

    /// <summary>Most records in one message to a replica (one journal write).</summary>
    public int MaxMessageRecords { get; init; } = 500;

    /// <summary>How long an owner of a shard has to confirm a write; past it the batch fails and is sent again by the importer.</summary>
    public TimeSpan OwnerTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Longest document an import accepts. A larger one could not reach a remote replica in one frame even compressed.
    /// </summary>
    public int MaxDocumentBytes { get; init; } = 1024 * 1024;

    /// <summary>How long an import waits for one batch: its turn in line, then the stored and the quarantined writes.</summary>
    public TimeSpan BatchTimeout => OwnerTimeout * 4;

    /// <summary>Batches written at once; the others wait in line, so an import cannot flood the journals.</summary>
    public int MaxInFlight { get; init; } = 2;

    /// <summary>Batches waiting in line before new ones are refused as busy.</summary>
    public int MaxQueued { get; init; } = 32;

    /// <summary>The options of a node with <paramref name="settings"/>, its validator loaded from the federation key file.</summary>
    /// <exception cref="BackupSettingsException">The key file is configured but cannot be read.</exception>
    public static IngestOptions From(BackupSettings settings)
    {
        LedgerValidator? validator = null;
        if (settings.FederationKeysPath is { } path)
        {
            try
            {
                validator = new LedgerValidator(FederationKeyFile.Load(path));
            }
            catch (InvalidDataException e)
            {
                throw new BackupSettingsException($"actorbackup.federation-keys: {e.Message}");
            }
        }
        return new IngestOptions(settings.Tables, new KeySpace(settings.Shards), settings.Replicas, validator);
    }
}
