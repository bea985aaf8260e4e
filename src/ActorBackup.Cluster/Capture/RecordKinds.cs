using ActorBackup.Cluster.Settings;
using ActorBackup.Ledger.Documents;

namespace ActorBackup.Cluster.Capture;

/// <summary>Which ledger document kind each captured table holds, and where its timestamp is.</summary>
public static class RecordKinds
{
    public static bool IsCapturable(string table) => BackupSettings.KnownTables.Contains(table);

    public static RecordKind Of(string table) =>
        LedgerTables.KindOf(table)
        ?? throw new ArgumentException($"Capture of table \"{table}\" is not supported: only bigchain and votes carry timestamps.", nameof(table));

    /// <summary>The field holding the signed body with its timestamp: block.timestamp, vote.timestamp.</summary>
    public static string TimestampParent(string table) => Of(table) == RecordKind.Block ? "block" : "vote";
}
