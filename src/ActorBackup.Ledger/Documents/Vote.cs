namespace ActorBackup.Ledger.Documents;

/// <summary>
/// A <c>votes</c> table document. <see cref="Timestamp"/> is vote.timestamp in Unix seconds; <see cref="Signature"/>
/// is the base58 text even when 0.7 stored it as BINARY.
/// </summary>
public sealed record Vote(
    string? Id,
    string NodePubkey,
    string Signature,
    string VotingForBlock,
    string PreviousBlock,
    bool IsBlockValid,
    string? InvalidReason,
    long Timestamp,
    ReadOnlyMemory<byte> Json) : LedgerRecord(RecordKind.Vote, Id, Json);
