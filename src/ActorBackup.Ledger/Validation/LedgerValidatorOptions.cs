namespace ActorBackup.Ledger.Validation;

/// <summary>
/// <paramref name="MaxDocumentBytes"/>: larger documents are rejected before parsing (a full 1000-transaction
/// block is about 1.5 MB). <paramref name="Deep"/>: also check every transaction's id and input signatures.
/// </summary>
public sealed record LedgerValidatorOptions(int MaxDocumentBytes = LedgerValidatorOptions.DefaultMaxDocumentBytes, bool Deep = false)
{
    public const int DefaultMaxDocumentBytes = 16 * 1024 * 1024;

    public static LedgerValidatorOptions Default { get; } = new();
}
