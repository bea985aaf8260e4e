namespace ActorBackup.Recovery.Verification;

/// <summary>What a target table holds compared with what was restored into it.</summary>
/// <param name="Table">db.table.</param>
/// <param name="ExpectedCount">Documents restored.</param>
/// <param name="ActualCount">Documents the target reports (count()).</param>
/// <param name="ReadCount">Documents read back to digest them.</param>
public sealed record TableVerification(
    string Table,
    long ExpectedCount,
    long ActualCount,
    long ReadCount,
    TableDigest ExpectedDigest,
    TableDigest ActualDigest)
{
    public bool IsMatch => ActualCount == ExpectedCount && ReadCount == ExpectedCount && ActualDigest == ExpectedDigest;

    /// <summary>One line saying what differs, or null when everything matches.</summary>
    public string? Problem =>
        ActualCount != ExpectedCount ? $"{Table}: the target holds {ActualCount} documents, {ExpectedCount} were restored"
        : ReadCount != ExpectedCount ? $"{Table}: the target counts {ActualCount} documents but {ReadCount} were read back"
        : ActualDigest != ExpectedDigest ? $"{Table}: the {ActualCount} documents in the target differ from those restored (digest {Short(ActualDigest)}, expected {Short(ExpectedDigest)})"
        : null;

    private static string Short(TableDigest digest) => digest.ToString()[..16];
}
