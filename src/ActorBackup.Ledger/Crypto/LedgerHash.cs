namespace ActorBackup.Ledger.Crypto;

/// <summary>
/// The hash behind every BigchainDB id. pysha3 0.3 (BigchainDB up to 0.8.0) computed the original Keccak-256;
/// pysha3 1.0 (0.8.1 onwards) computes FIPS-202 SHA3-256, so the same document has two possible ids.
/// </summary>
public enum LedgerHash
{
    None = 0,
    Sha3_256,
    Keccak256,
}
