namespace ActorBackup.Ledger.Documents;

/// <summary>The BigchainDB table a document comes from: <c>bigchain</c> (blocks), <c>votes</c>, or a transaction.</summary>
public enum RecordKind
{
    Block,
    Vote,
    Transaction,
}
