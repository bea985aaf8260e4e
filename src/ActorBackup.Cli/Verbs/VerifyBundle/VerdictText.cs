using System.Text.Json;
using ActorBackup.Recovery.Bundle;

namespace ActorBackup.Cli.Verbs.VerifyBundle;

/// <summary>How client-backup and verify-bundle print a bundle's verification: the trusted keys, a line per transaction, a line per problem.</summary>
internal static class VerdictText
{
    public static void Write(TextWriter output, BundleVerification verification)
    {
        var trusted = verification.Trusted;
        output.WriteLine($"trusted keys: {trusted.Keys.Count}, from {trusted.Source}");
        if (trusted.IsOwnWord)
            output.WriteLine("warning: these keys are the bundle's own word, so this proves only that the bundle agrees with itself; "
                             + "pass --federation-keys with the key file you got from the federation to prove more");
        foreach (var verdict in verification.Transactions)
            output.WriteLine(Line(verdict));
        foreach (var problem in verification.Problems)
            output.WriteLine($"problem: {problem}");
        var unproven = verification.Transactions.Count(t => t.Status != TransactionStatus.Valid);
        output.WriteLine(verification.IsProven
            ? $"proven: every one of the {verification.Transactions.Count} selected transactions is in a block its votes decide valid"
            : $"not proven: {verification.Problems.Count} problems, {unproven} of {verification.Transactions.Count} selected transactions not in a valid block");
    }

    public static string Line(TransactionVerdict verdict)
    {
        var others = verdict.Blocks.Where(b => b.Id != verdict.Block?.Id).Select(b => $"; also in block {b.Id}, {b.Status}").ToList();
        return verdict.Status switch
        {
            TransactionStatus.NotFound => $"transaction {verdict.Id}: not found in any block of the bundle",
            _ => $"transaction {verdict.Id}: {verdict.Status.ToString().ToLowerInvariant()} in block {verdict.Block!.Id} "
                 + $"({(verdict.Block.IsGenesis ? "the genesis block, which nodes never vote on; " : "")}{Counts(verdict.Block)}; "
                 + (verdict.Votes.Count == 0 ? "no votes)" : $"votes {string.Join(", ", verdict.Votes.Select(v => $"{v.Id} by {v.Voter} {(v.IsBlockValid ? "valid" : "invalid")}"))})")
                 + string.Concat(others),
        };
    }

    public static object Json(BundleVerification verification) => new
    {
        bundle = verification.Path,
        proven = verification.IsProven,
        trustedKeys = new { source = verification.Trusted.Source, bundlesOwnWord = verification.Trusted.IsOwnWord, keys = verification.Trusted.Keys.Members.Select(m => m.PublicKey) },
        blocks = verification.Blocks,
        votes = verification.Votes,
        transactions = verification.Transactions.Select(t => new
        {
            id = t.Id,
            status = t.Status switch { TransactionStatus.NotFound => "not-found", var s => s.ToString().ToLowerInvariant() },
            block = t.Block,
            votes = t.Votes,
            blocks = t.Blocks,
        }),
        problems = verification.Problems,
    };

    public static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static string Counts(BlockOutcome block) =>
        $"{block.Status} by {block.Rules} rules: {block.ValidVotes} valid and {block.InvalidVotes} invalid of {block.Voters} voters";
}
