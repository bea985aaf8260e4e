using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Federation;
using ActorBackup.Ledger.Validation;

namespace ActorBackup.Recovery.FromCluster;

/// <summary>
/// Checks each record a backup node serves against the federation's keys on the client's side, whatever the node says
/// of it: the id is the hash of the document and every signature verifies. A node that was given a forged record, or
/// that forges one itself, is caught here before the record reaches a restored database or an archive.
/// </summary>
public sealed class ServedRecordCheck(FederationKeys federation)
{
    private readonly LedgerValidator _validator = new(federation);
    private long _checked;

    /// <summary>Records checked so far (records of tables without signatures are not counted).</summary>
    public long Checked => Interlocked.Read(ref _checked);

    /// <summary>Why the record fails verification, or null when it verifies (or its table holds no signed records).</summary>
    public string? Problem(string table, ReadOnlySpan<byte> record)
    {
        if (LedgerTables.KindOf(table) is not { } kind) return null;
        var result = _validator.Validate(record, kind);
        Interlocked.Increment(ref _checked);
        return result.IsValid ? null : $"{result.Reason}: {result.Message}";
    }
}
