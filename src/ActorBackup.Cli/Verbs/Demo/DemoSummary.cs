using System.Globalization;
using System.Text.Json;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cli.Verbs.Drill;
using ActorBackup.Recovery.FromCluster;
using ActorBackup.Recovery.Scratch;

namespace ActorBackup.Cli.Verbs.Demo;

/// <summary>The demo's closing table: what was written and captured, the drill's outcome, the restore's.</summary>
internal sealed record DemoSummary(long Blocks, long Votes, ClusterStatus Final, DrillReport Drill, ScratchRestoreResult Restore, TimeSpan Elapsed)
{
    /// <summary>Records on the most complete reachable replica of each shard, summed.</summary>
    public long RecordsCaptured => Final.Shards.Sum(s => s.Records);

    public int ShardsAtR => Final.Shards.Count(s => !s.UnderReplicated);

    public bool Passed => Drill.Passed && Restore.Verified;

    /// <summary>One line: what the restore verified, or why it did not.</summary>
    public string RestoreDetail => Restore is { Verified: true, At: { } at }
        ? $"{Restore.Documents} records as of {ClusterBackupSource.Iso(at)} in {Restore.Database}: equal to {Restore.ComparedWith}"
        : Restore.FirstProblem ?? "not verified";

    public IReadOnlyList<(string Name, string Value)> Rows =>
    [
        ("records written", $"{Blocks + Votes:N0} ({Blocks:N0} blocks, {Votes:N0} votes)"),
        ("records captured", RecordsCaptured.ToString("N0", CultureInfo.InvariantCulture)),
        ("replicas", $"R={Final.Replicas}: {ShardsAtR} of {Final.Shards.Count} shards at R"),
        ("RPO", Final.RpoSeconds is { } rpo ? $"{rpo} s" : "unknown"),
        ("node killed", string.Join(", ", Drill.Killed.Select(v => $"{v.Address} ({v.Region})"))),
        ("records lost", Drill.RecordsLost.ToString(CultureInfo.InvariantCulture)),
        ("capture resumed", Seconds(Drill.CaptureResumedAfter)),
        ("time to recover", Seconds(Drill.BackToRAfter)),
        ("restore time", $"{Restore.Duration.TotalSeconds:0.0} s"),
        ("verification", (Restore.Verified ? "PASSED: " : "FAILED: ") + RestoreDetail),
        ("result", Passed ? "PASSED" : "FAILED: " + (Drill.Failure ?? RestoreDetail)),
    ];

    public void WriteText(TextWriter w)
    {
        w.WriteLine($"Demo summary ({Elapsed.TotalSeconds:0} s):");
        var width = Rows.Max(r => r.Name.Length);
        foreach (var (name, value) in Rows)
            w.WriteLine($"  {name.PadRight(width)}  {value}");
    }

    public string ToJson() => JsonSerializer.Serialize(new
    {
        passed = Passed,
        blocksWritten = Blocks,
        votesWritten = Votes,
        recordsCaptured = RecordsCaptured,
        replicas = Final.Replicas,
        shards = Final.Shards.Count,
        shardsAtR = ShardsAtR,
        rpoSeconds = Final.RpoSeconds,
        killed = Drill.Killed,
        recordsLost = Drill.RecordsLost,
        captureResumedSeconds = Drill.CaptureResumedAfter?.TotalSeconds,
        timeToRecoverSeconds = Drill.BackToRAfter?.TotalSeconds,
        // "ran" stays in the report for its readers; the demo always runs its restore.
        restore = new { ran = true, seconds = Restore.Duration.TotalSeconds, records = Restore.Documents, verified = Restore.Verified, detail = RestoreDetail },
        elapsedSeconds = Elapsed.TotalSeconds,
    }, new JsonSerializerOptions(JsonSerializerDefaults.Web));

    private static string Seconds(TimeSpan? t) => t is { } v ? $"{v.TotalSeconds:0.0} s" : "not within the limit";
}
