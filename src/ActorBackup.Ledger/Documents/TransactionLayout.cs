namespace ActorBackup.Ledger.Documents;

/// <summary>The transaction document layouts of BigchainDB 0.5 to 0.10 (reference §7).</summary>
public enum TransactionLayout
{
    Unknown = 0,
    /// <summary>0.5: <c>{id, version, transaction{fulfillments, conditions, operation, timestamp, data}}</c>.</summary>
    V05,
    /// <summary>0.6: as 0.5 with <c>version</c> inside <c>transaction</c>.</summary>
    V06,
    /// <summary>0.7: <c>transaction{…, timestamp, asset, metadata}</c>.</summary>
    V07,
    /// <summary>0.8: as 0.7 without <c>timestamp</c>, with amounts.</summary>
    V08,
    /// <summary>0.9 and 0.10: flat <c>{id, inputs, outputs, operation, asset, metadata, version}</c>.</summary>
    V09,
}
