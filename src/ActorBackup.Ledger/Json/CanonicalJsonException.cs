namespace ActorBackup.Ledger.Json;

/// <summary>The document has no canonical form BigchainDB could have produced (e.g. a key given twice).</summary>
public sealed class CanonicalJsonException(string message) : Exception(message);
