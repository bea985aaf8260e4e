using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Sharding;
using ActorBackup.Ledger.Validation;

namespace ActorBackup.Cluster.Ingest;

/// <summary>
/// What a node's <see cref="IngestActor"/> needs: the tables, the key space and R, the validator built from the
/// federation's keys (null when the node has none: it then refuses imports), and the bounds of its work
/// (<c>actorbackup.import</c>).
/// </summary>
public sealed record IngestOptions(IReadOnlyList<string> Tables, KeySpace Keys, int Replicas, LedgerValidator? Validator)
{
    /// <summary>
    /// Most bytes of record JSON in one message to a replica, before compression: well under the remote frame limit
    /// (<c>akka.remote.dot-netty.tcp.maximum-frame-size</c>) whatever the compression achieves. A larger single
    /// document travels in a message of its own.
    /// </summary>
    public required int MaxMessageBytes { get; init; }

    /// <summary>Most records in one message to a replica (one journal write).</summary>
    public required int MaxMessageRecords { get; init; }

    /// <summary>How long an owner of a shard has to confirm a write; past it the batch fails and is sent again by the importer.</summary>
    public required TimeSpan OwnerTimeout { get; init; }

    /// <summary>Longest document an import accepts; a longer line is refused before it is read whole.</summary>
    public required int MaxDocumentBytes { get; init; }

    /// <summary>How long an import waits for one batch: its turn in line, then the stored and the quarantined writes.</summary>
    public TimeSpan BatchTimeout => OwnerTimeout * 4;

    /// <summary>Batches written at once; the others wait in line, so an import cannot flood the journals.</summary>
    public required int MaxInFlight { get; init; }

    /// <summary>Batches waiting in line before new ones are refused as busy.</summary>
    public required int MaxQueued { get; init; }

    /// <summary>The options of a node with <paramref name="settings"/>, its validator loaded from the federation key file.</summary>
    /// <exception cref="BackupSettingsException">The key file is configured but cannot be read.</exception>
    public static IngestOptions From(BackupSettings settings)
    {
        var validator = settings.FederationKeysPath is null ? null : new LedgerValidator(settings.LoadFederationKeys());
        var import = settings.Import;
        return new IngestOptions(settings.Tables, new KeySpace(settings.Shards), settings.Replicas, validator)
        {
            MaxMessageBytes = (int)import.MessageBytes,
            MaxMessageRecords = import.MessageRecords,
            OwnerTimeout = import.OwnerTimeout,
            MaxDocumentBytes = import.MaxDocumentBytes,
            MaxInFlight = import.BatchesInFlight,
            MaxQueued = import.BatchesQueued,
        };
    }
}
