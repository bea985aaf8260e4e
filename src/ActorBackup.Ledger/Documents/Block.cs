namespace ActorBackup.Ledger.Documents;

/// <summary>A <c>bigchain</c> table document. <see cref="Timestamp"/> is block.timestamp in Unix seconds.</summary>
public sealed record Block(
    string Id,
    long Timestamp,
    string NodePubkey,
    IReadOnlyList<string> Voters,
    IReadOnlyList<string> TransactionIds,
    bool IsGenesis,
    string Signature,
    ReadOnlyMemory<byte> Json) : LedgerRecord(RecordKind.Block, Id, Json)
{
    public new string Id => base.Id!;
}
