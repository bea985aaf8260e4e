using ActorBackup.Ledger.Audit;

namespace ActorBackup.Recovery.Bundle.Assembly;

/// <summary>What one bundle gave: its documents, how many were new, already given by an earlier bundle, or left out.</summary>
public sealed record AssembledBundle(string Path, long Documents, long New, long Duplicates, long LeftOut);

/// <summary>
/// What an assembly did: per bundle, the records written, the records left out because no copy of them verifies
/// (each named with its bundle and what failed), records whose copies differ (the first that verifies was kept), and
/// the completeness audit of the assembled ledger.
/// </summary>
public sealed record AssemblyReport(
    string Out,
    BundleFederationKeys Trusted,
    IReadOnlyList<AssembledBundle> Bundles,
    long Blocks,
    long Votes,
    IReadOnlyList<string> LeftOut,
    IReadOnlyList<string> Conflicts,
    AuditReport Audit,
    long CompressedBytes)
{
    public bool IsComplete => LeftOut.Count == 0 && Conflicts.Count == 0 && Audit.IsComplete;
}
