using System.Globalization;
using ActorBackup.Recovery.FromCluster;

namespace ActorBackup.Cli.Verbs.Drill;

/// <summary>
/// What a drill's restore did: the backup as of the cluster's restorable point, read through the cluster, written
/// into a scratch database and verified table by table (counts and digests).
/// </summary>
/// <param name="At">The restorable point restored (Unix seconds); null when the restore failed before choosing it.</param>
/// <param name="Documents">Documents written into the scratch database.</param>
/// <param name="ComparedWith">What the scratch database was verified against, e.g. "the backup".</param>
/// <param name="FirstProblem">Why it did not verify, in one line; null when it did.</param>
/// <param name="Dropped">The scratch database was dropped after the verified restore.</param>
internal sealed record DrillRestore(
    string Database,
    string Server,
    long? At,
    long Documents,
    string ComparedWith,
    string? FirstProblem,
    TimeSpan Duration,
    bool Dropped)
{
    public bool Verified => FirstProblem is null;

    public void WriteText(TextWriter w)
    {
        var seconds = Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        w.WriteLine(At is { } at
            ? $"  restore            {Documents.ToString("N0", CultureInfo.InvariantCulture)} documents as of {ClusterBackupSource.Iso(at)} into {Database} on {Server} in {seconds} s"
            : $"  restore            into {Database} on {Server} stopped after {seconds} s");
        var scratch = Dropped ? "scratch database dropped" : "scratch database kept";
        w.WriteLine(Verified
            ? $"  restore verified   yes, counts and digests equal to {ComparedWith}; {scratch}"
            : $"  restore verified   no: {FirstProblem}; {scratch}");
    }

    /// <summary>The restore's part of a JSON report.</summary>
    public object ToJson() => new
    {
        database = Database,
        server = Server,
        restorablePoint = At is { } at ? ClusterBackupSource.Iso(at) : null,
        documents = Documents,
        verified = Verified,
        firstProblem = FirstProblem,
        seconds = Math.Round(Duration.TotalSeconds, 1),
        dropped = Dropped,
    };
}
