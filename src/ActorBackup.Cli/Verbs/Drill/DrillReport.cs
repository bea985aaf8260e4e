using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ActorBackup.Recovery.Scratch;

namespace ActorBackup.Cli.Verbs.Drill;

/// <summary>
/// The outcome of a failure drill. Times are from the kill; null means "not within the drill's time limit".
/// </summary>
/// <remarks>Every drill, the demo's too, ends with a restore (<see cref="Restore"/>), null only until it ran.</remarks>
/// <param name="AcknowledgedBefore">Records held by R replicas just before the kill.</param>
/// <param name="RecordsLost">Of those, records no surviving replica holds at the end: must be 0.</param>
/// <param name="CaptureResumedAfter">Until every shard had a surviving replica backed up past the moment of the kill (so it includes the catch-up margin).</param>
/// <param name="BackToRAfter">Until every shard had R replicas on surviving nodes backed up past the moment of the kill.</param>
public sealed record DrillReport(
    string Scenario,
    IReadOnlyList<DrillVictim> Killed,
    long AcknowledgedBefore,
    long RecordsLost,
    TimeSpan? CaptureResumedAfter,
    TimeSpan? BackToRAfter,
    TimeSpan Limit)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    /// <summary>The restore into a scratch database that ends the drill, once it ran.</summary>
    public ScratchRestoreResult? Restore { get; init; }

    /// <summary>Nothing acknowledged lost, capture resumed, every shard back at R, and the restore (if any) verified.</summary>
    public bool Passed => Failure is null;

    /// <summary>Why it failed, in one line; null when it passed.</summary>
    public string? Failure =>
        RecordsLost > 0 ? $"{RecordsLost} acknowledged records are held by no surviving replica"
        : CaptureResumedAfter is null ? $"capture did not resume within {Seconds(Limit)}"
        : BackToRAfter is null ? $"not every shard was back to R replicas within {Seconds(Limit)}"
        : Restore is { Verified: false } restore ? $"the restore into {restore.Database} did not verify: {restore.FirstProblem}"
        : null;

    public void WriteText(TextWriter w)
    {
        foreach (var v in Killed)
            w.WriteLine($"  killed             {v.What}{(v.Address is null ? "" : " " + v.Address)}{(v.Region is null ? "" : $" ({v.Region})")}, pid {v.Pid}");
        w.WriteLine($"  acknowledged       {AcknowledgedBefore.ToString("N0", CultureInfo.InvariantCulture)} records on R replicas before the kill");
        w.WriteLine($"  records lost       {RecordsLost}");
        w.WriteLine($"  capture resumed    {Time(CaptureResumedAfter)}");
        w.WriteLine($"  back to R          {Time(BackToRAfter)}");
        if (Restore is not null)
            ScratchRestoreReport.WriteText(w, Restore);
        w.WriteLine($"  result             {(Passed ? "PASSED" : "FAILED: " + Failure)}");
    }

    public string ToJson() => JsonSerializer.Serialize(new
    {
        scenario = Scenario,
        passed = Passed,
        failure = Failure,
        killed = Killed,
        acknowledgedBefore = AcknowledgedBefore,
        recordsLost = RecordsLost,
        captureResumedSeconds = CaptureResumedAfter?.TotalSeconds,
        backToRSeconds = BackToRAfter?.TotalSeconds,
        restore = Restore is null ? null : ScratchRestoreReport.ToJson(Restore),
    }, Json);

    private string Time(TimeSpan? t) => t is { } v ? $"{Seconds(v)} after the kill" : $"not within {Seconds(Limit)}";

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s";
}
