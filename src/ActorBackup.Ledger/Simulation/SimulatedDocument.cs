using ActorBackup.Ledger.Documents;

namespace ActorBackup.Ledger.Simulation;

/// <summary>
/// One generated document as it would be written to RethinkDB. <see cref="BlockId"/> is the block itself or the
/// block voted for; <see cref="Signer"/> the node that made it.
/// </summary>
public sealed record SimulatedDocument(RecordKind Kind, string BlockId, string Signer, long Timestamp, SimulatedFault Fault, byte[] Json);
