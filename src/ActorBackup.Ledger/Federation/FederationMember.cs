namespace ActorBackup.Ledger.Federation;

/// <summary>One federation node: its base58 Ed25519 public key and an optional human name.</summary>
public sealed record FederationMember(string PublicKey, string? Name);
