namespace ActorBackup.Ledger.Documents;

/// <summary>A transaction (<c>backlog</c> table or inside a block): its id, operation and era layout.</summary>
public sealed record Transaction(string Id, string Operation, TransactionLayout Layout, ReadOnlyMemory<byte> Json)
    : LedgerRecord(RecordKind.Transaction, Id, Json)
{
    public new string Id => base.Id!;
}
