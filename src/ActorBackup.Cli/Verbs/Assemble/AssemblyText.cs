using ActorBackup.Ledger.Audit;
using ActorBackup.Recovery.Bundle.Assembly;

namespace ActorBackup.Cli.Verbs.Assemble;

/// <summary>How assemble prints its report: the bundles, what was left out, the completeness audit grouped by kind, and what no audit can know.</summary>
internal static class AssemblyText
{
    private static readonly (AuditFindingKind Kind, string Title)[] Sections =
    [
        (AuditFindingKind.MissingBlock, "blocks proven missing (named by the vote chains)"),
        (AuditFindingKind.MissingVote, "votes missing"),
        (AuditFindingKind.Fork, "forks (a voter's chain branches)"),
        (AuditFindingKind.DuplicateVote, "duplicate votes"),
        (AuditFindingKind.UnexpectedVoter, "votes by nodes not among the block's voters"),
        (AuditFindingKind.OrphanVote, "votes on blocks never seen"),
    ];

    public static void Write(TextWriter output, AssemblyReport report)
    {
        output.WriteLine($"trusted keys: {report.Trusted.Keys.Count}, from {report.Trusted.Source}");
        if (report.Trusted.IsOwnWord)
            output.WriteLine("warning: these keys are the bundles' own word; pass --federation-keys with the key file you got from the federation");
        foreach (var bundle in report.Bundles)
            output.WriteLine($"{bundle.Path}: {bundle.Documents} documents: {bundle.New} new, {bundle.Duplicates} already given by an earlier bundle, {bundle.LeftOut} failing verification");
        output.WriteLine($"wrote {report.Out}: {report.Blocks} blocks, {report.Votes} votes ({report.CompressedBytes / 1e3:0.0} KB)");
        foreach (var line in report.LeftOut)
            output.WriteLine($"left out, no copy verifies: {line}");
        foreach (var line in report.Conflicts)
            output.WriteLine($"conflict: {line}");

        var audit = report.Audit;
        output.WriteLine($"completeness audit of {audit.BlocksSeen} blocks and {audit.VotesSeen} votes:");
        foreach (var (kind, title) in Sections)
        {
            var findings = audit.Findings.Where(f => f.Kind == kind).ToList();
            output.WriteLine($"  {title}: {(findings.Count == 0 ? "none" : findings.Count.ToString(System.Globalization.CultureInfo.InvariantCulture))}");
            if (kind == AuditFindingKind.MissingVote)
            {
                foreach (var voter in findings.GroupBy(f => f.Voter))
                    output.WriteLine($"    voter {voter.Key}: {voter.Count()} (blocks {string.Join(", ", voter.Select(f => f.BlockId))})");
                continue;
            }
            foreach (var finding in findings)
                output.WriteLine($"    block {finding.BlockId}{(finding.Voter is null ? "" : $" voter {finding.Voter}")}{(finding.VoteId is null ? "" : $" vote {finding.VoteId}")}: {finding.Message}");
        }
        output.WriteLine("  cannot be known from the vote chains:");
        foreach (var (voter, tip) in audit.VoterTips.OrderBy(t => t.Key, StringComparer.Ordinal))
            output.WriteLine($"    votes by {voter} after its newest vote here (on block {tip}), and the blocks only they would name");
        output.WriteLine("    blocks no vote here names (voted on by nobody, or only by votes that are missing too), and the backlog");
        output.WriteLine(report.IsComplete
            ? "assemble: every record verified and the vote chains show nothing missing"
            : $"assemble: {report.LeftOut.Count} records left out, {report.Conflicts.Count} conflicts, {audit.Findings.Count} audit findings");
    }

    public static object Json(AssemblyReport report) => new
    {
        @out = report.Out,
        complete = report.IsComplete,
        trustedKeys = new { source = report.Trusted.Source, bundlesOwnWord = report.Trusted.IsOwnWord, keys = report.Trusted.Keys.Members.Select(m => m.PublicKey) },
        bundles = report.Bundles,
        blocks = report.Blocks,
        votes = report.Votes,
        leftOut = report.LeftOut,
        conflicts = report.Conflicts,
        audit = new
        {
            blocksSeen = report.Audit.BlocksSeen,
            votesSeen = report.Audit.VotesSeen,
            findings = report.Audit.Findings.Select(f => new { kind = f.Kind.ToString(), blockId = f.BlockId, voter = f.Voter, voteId = f.VoteId, message = f.Message }),
            voterTips = report.Audit.VoterTips,
        },
    };
}
