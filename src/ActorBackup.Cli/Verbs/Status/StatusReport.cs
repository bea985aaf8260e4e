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
        var backoff = status.Shards.SelectMany(s => s.Replicas.Where(r => r.Phase == ReplicaPhases.Backoff).Select(r => (Shard: s, Replica: r))).ToArray();
        if (backoff.Length > 0)
        {
            w.WriteLine();
            w.WriteLine($"Replicas in backoff ({backoff.Length}):");
            foreach (var (shard, r) in backoff)
                w.WriteLine($"  {shard.Id} on {r.Node} ({r.Region}): {r.Restarts} restarts, source {r.Source ?? "none yet"}, last error: {r.LastError ?? "none reported"}");
        }
        var fallback = status.Shards.SelectMany(s => s.Replicas.Where(r => r.CatchUpFallback is not null).Select(r => (Shard: s, Replica: r))).ToArray();
        if (fallback.Length > 0)
        {
            w.WriteLine();
            w.WriteLine($"Catch-up read whole key ranges from the source, not its timestamp index ({fallback.Length} replicas):");
            foreach (var (shard, r) in fallback)
                w.WriteLine($"  {shard.Id} on {r.Node}: {r.CatchUpFallback}");
        }
        var held = status.Shards.SelectMany(s => s.Replicas.Where(r => r.WatermarkHeld is not null).Select(r => (Shard: s, Replica: r))).ToArray();
        if (held.Length > 0)
        {
            w.WriteLine();
            w.WriteLine($"Watermarks waiting before they move ({held.Length} replicas):");
            foreach (var (shard, r) in held)
                w.WriteLine($"  {shard.Id} on {r.Node}: waits for {r.WatermarkHeld}");
        }
        var reconcile = status.Shards.SelectMany(s => s.Replicas.Where(r => r.Reconcile is { } c && (c.Found > 0 || c.SourceLacks > 0 || c.LastError is not null))
            .Select(r => (Shard: s, Replica: r, Reconcile: r.Reconcile!))).ToArray();
        if (reconcile.Length > 0)
        {
            w.WriteLine();
            w.WriteLine($"Reconciliation with the source found something ({reconcile.Length} replicas):");
            foreach (var (shard, r, c) in reconcile)
                w.WriteLine($"  {shard.Id} on {r.Node}: {c.Found} records only reconciliation found, {c.SourceLacks} held that the source lacks"
                    + (c.At is { } at ? $", last reconciled {Time(at)}" : ", not reconciled yet")
                    + (c.LastError is { } e ? $", last round failed: {e}" : ""));
        }
        w.WriteLine();
        w.WriteLine($"Restorable point: {(status.RestorablePoint is { } p ? Time(p) : "none yet (a shard has no watermark)")}");
        if (status.RestorablePointBasis is { } basis)
            w.WriteLine($"  rests on: {basis.Text}");
        w.WriteLine($"RPO: {(status.RpoSeconds is { } rpo ? $"{rpo} s" : "unknown")}");
        w.WriteLine($"Quarantined records: {status.Quarantined.ToString("N0", CultureInfo.InvariantCulture)}");
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
