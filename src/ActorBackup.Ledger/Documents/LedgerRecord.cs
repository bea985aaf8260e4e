namespace ActorBackup.Ledger.Documents;

/// <summary>
/// A parsed document. <see cref="Id"/> is the RethinkDB primary key (null for a vote not yet stored, whose id
/// RethinkDB assigns); <see cref="Json"/> holds the document exactly as received, unknown fields included.
/// </summary>
public abstract record LedgerRecord(RecordKind Kind, string? Id, ReadOnlyMemory<byte> Json);
