namespace ActorBackup.Cluster.Settings;

/// <summary>How a node takes an import and writes it to the owners of each shard (<c>actorbackup.import</c>).</summary>
/// <param name="MessageRecords">Most records in one message to a replica (one journal write).</param>
/// <param name="MessageBytes">Most bytes of record JSON, before compression, in one message to a replica.</param>
/// <param name="OwnerTimeout">How long an owner of a shard has to confirm a write before the batch fails and is sent again by the importer.</param>
/// <param name="MaxDocumentBytes">Longest document an import accepts.</param>
/// <param name="BatchesInFlight">Import batches written at once.</param>
/// <param name="BatchesQueued">Import batches waiting in line before new ones are refused as busy.</param>
public sealed record ImportSettings(
    int MessageRecords, long MessageBytes, TimeSpan OwnerTimeout, int MaxDocumentBytes, int BatchesInFlight, int BatchesQueued);
