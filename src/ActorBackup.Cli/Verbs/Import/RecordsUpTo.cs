using System.Runtime.InteropServices;
using System.Text.Json;
using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Capture;
using ActorBackup.Ledger.Documents;

namespace ActorBackup.Cli.Verbs.Import;

/// <summary>
/// Counts, per table, the archive's blocks and votes with a readable timestamp at or before a given point. Less the
/// table's quarantined documents, that is the fewest verified records up to the point the import made durable.
/// </summary>
internal sealed class RecordsUpTo(Watermark at)
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public void Observe(string table, JsonElement document)
    {
        if (LedgerReader.TryRead(JsonMarshal.GetRawUtf8Value(document), RecordKinds.Of(table), out var record, out _)
            && record switch { Block b => b.Timestamp, Vote v => v.Timestamp, _ => long.MaxValue } <= at.Seconds)
            _counts[table] = _counts.GetValueOrDefault(table) + 1;
    }

    public long Count(string table) => _counts.GetValueOrDefault(table);
}
