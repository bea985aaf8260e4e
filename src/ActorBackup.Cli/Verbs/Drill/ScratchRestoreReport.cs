using System.Globalization;
using ActorBackup.Recovery.FromCluster;
using ActorBackup.Recovery.Scratch;

namespace ActorBackup.Cli.Verbs.Drill;

/// <summary>A drill's restore as its report shows it: two text lines, or the restore's part of the JSON report.</summary>
internal static class ScratchRestoreReport
{
    public static void WriteText(TextWriter w, ScratchRestoreResult restore)
    {
        var seconds = restore.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        w.WriteLine(restore.At is { } at
            ? $"  restore            {restore.Documents.ToString("N0", CultureInfo.InvariantCulture)} documents as of {ClusterBackupSource.Iso(at)} into {restore.Database} on {restore.Server} in {seconds} s"
            : $"  restore            into {restore.Database} on {restore.Server} stopped after {seconds} s");
        var scratch = restore.Dropped ? "scratch database dropped" : "scratch database kept";
        w.WriteLine(restore.Verified
            ? $"  restore verified   yes, counts and digests equal to {restore.ComparedWith}; {scratch}"
            : $"  restore verified   no: {restore.FirstProblem}; {scratch}");
    }

    public static object ToJson(ScratchRestoreResult restore) => new
    {
        database = restore.Database,
        server = restore.Server,
        restorablePoint = restore.At is { } at ? ClusterBackupSource.Iso(at) : null,
        documents = restore.Documents,
        verified = restore.Verified,
        firstProblem = restore.FirstProblem,
        seconds = Math.Round(restore.Duration.TotalSeconds, 1),
        dropped = restore.Dropped,
    };
}
