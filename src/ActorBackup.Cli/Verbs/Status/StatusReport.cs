using System.Globalization;
using ActorBackup.Admin.Contract.Status;

namespace ActorBackup.Cli.Verbs.Status;

/// <summary>The readable form of a <see cref="ClusterStatus"/>: members, then a summary per table.</summary>
public static class StatusReport
{
    /// <summary>The members section: one line per member with its region, status and reachability.</summary>
    public static void WriteMembers(TextWriter w, IReadOnlyList<MemberEntry> members)
    {
        w.WriteLine($"Members ({members.Count}):");
        var width = members.Select(m => m.Address.Length).DefaultIfEmpty(0).Max();
        foreach (var m in members)
            w.WriteLine($"  {m.Address.PadRight(width)}  {m.Region,-12} {m.Status,-10} {(m.Reachable ? "reachable" : "UNREACHABLE")}{(m.Pid is { } pid ? $"  pid {pid}" : "")}");
    }

    public static void Write(TextWriter w, ClusterStatus status)
    {
        w.WriteLine($"Cluster seen from {status.Node} at {Time(status.At)}");
        w.WriteLine();
        WriteMembers(w, status.Members);
        w.WriteLine();
        foreach (var table in status.Shards.GroupBy(s => s.Table))
        {
            var shards = table.ToArray();
            var atR = shards.Count(s => !s.UnderReplicated);
            var records = shards.Sum(s => s.Records);
            w.WriteLine($"Table {table.Key}: {atR} of {shards.Length} shards at R={status.Replicas}, {records.ToString("N0", CultureInfo.InvariantCulture)} records");
            foreach (var s in shards.Where(s => s.UnderReplicated))
            {
                var on = s.Replicas.Where(r => r.Reachable).Select(r => $"{r.Node} ({r.Region})").ToArray();
                w.WriteLine($"  under-replicated {s.Id} {s.Range}: {s.ReplicaCount} of {status.Replicas}{(on.Length > 0 ? " on " + string.Join(", ", on) : "")}");
            }
        }
        WriteReplicas(w, status, "Replicas in backoff ({0}):", r => r.Phase == ReplicaPhases.Backoff,
            (shard, r) => $"{shard.Id} on {r.Node} ({r.Region}): {r.Restarts} restarts, source {r.Source ?? "none yet"}, last error: {r.LastError ?? "none reported"}");
        WriteReplicas(w, status, "Catch-up read whole key ranges from the source, not its timestamp index ({0} replicas):", r => r.CatchUpFallback is not null,
            (shard, r) => $"{shard.Id} on {r.Node}: {r.CatchUpFallback}");
        WriteReplicas(w, status, "Watermarks waiting before they move ({0} replicas):", r => r.WatermarkHeld is not null,
            (shard, r) => $"{shard.Id} on {r.Node}: waits for {r.WatermarkHeld}");
        WriteReplicas(w, status, "Reconciliation with the source found something ({0} replicas):",
            r => r.Reconcile is { } c && (c.Found > 0 || c.SourceLacks > 0 || c.LastError is not null),
            (shard, r) => $"{shard.Id} on {r.Node}: {r.Reconcile!.Found} records only reconciliation found, {r.Reconcile.SourceLacks} held that the source lacks"
                + (r.Reconcile.At is { } at ? $", last reconciled {Time(at)}" : ", not reconciled yet")
                + (r.Reconcile.LastError is { } e ? $", last round failed: {e}" : ""));
        w.WriteLine();
        w.WriteLine($"Restorable point: {(status.RestorablePoint is { } p ? Time(p) : "none yet (a shard has no watermark)")}");
        if (status.RestorablePointBasis is { } basis)
            w.WriteLine($"  rests on: {basis.Text}");
        w.WriteLine($"RPO: {(status.RpoSeconds is { } rpo ? $"{rpo} s" : "unknown")}");
        w.WriteLine($"Quarantined records: {status.Quarantined.ToString("N0", CultureInfo.InvariantCulture)}");
    }

    /// <summary>A section listing the replicas that <paramref name="selected"/> picks, under a title naming how many; nothing when none.</summary>
    private static void WriteReplicas(TextWriter w, ClusterStatus status, string title, Func<ShardReplica, bool> selected,
        Func<ShardStatus, ShardReplica, string> line)
    {
        var listed = status.Shards.SelectMany(s => s.Replicas.Where(selected).Select(r => (Shard: s, Replica: r))).ToArray();
        if (listed.Length == 0) return;
        w.WriteLine();
        w.WriteLine(string.Format(CultureInfo.InvariantCulture, title, listed.Length));
        foreach (var (shard, r) in listed)
            w.WriteLine("  " + line(shard, r));
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
