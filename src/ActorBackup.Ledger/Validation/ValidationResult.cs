using ActorBackup.Ledger.Crypto;

namespace ActorBackup.Ledger.Validation;

/// <summary>
/// The verdict on one document: valid (with the hash era its id matched, for blocks and transactions), or
/// invalid with a reason code and a one-line message fit for a quarantine entry.
/// </summary>
public readonly record struct ValidationResult(InvalidReason Reason, string Message, LedgerHash Hash)
{
    public bool IsValid => Reason == InvalidReason.None;

    public static ValidationResult Valid(LedgerHash hash = LedgerHash.None) => new(InvalidReason.None, "valid", hash);

    public static ValidationResult Invalid(InvalidReason reason, string message) => new(reason, message, LedgerHash.None);

    public override string ToString() => IsValid ? $"valid ({Hash})" : $"{Reason}: {Message}";
}
