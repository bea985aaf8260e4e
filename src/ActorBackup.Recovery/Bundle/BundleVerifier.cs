using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Election;
using ActorBackup.Ledger.Validation;
using ActorBackup.Recovery.Bundle.Manifest;

namespace ActorBackup.Recovery.Bundle;

/// <summary>
/// Verifies a client bundle against trusted federation keys: every block's id, signature and transactions, every
/// vote's signature; the records against the manifest (each listed record present with the same digest, nothing
/// unlisted, every vote on a block the bundle holds, each election as the votes decide it); then, for every selected
/// transaction, whether it sits in a block the bundle's votes decide valid. Nothing is taken from the manifest but
/// the list of what to check (and the keys, when the caller chose to trust them).
/// </summary>
public static class BundleVerifier
{
    public static BundleVerification Verify(BundleArchive bundle, BundleFederationKeys trusted)
    {
        var manifest = bundle.Manifest ?? throw new ArgumentException("A bundle without a manifest cannot be verified.", nameof(bundle));
        var validator = new LedgerValidator(trusted.Keys, new LedgerValidatorOptions(Deep: true));
        var problems = new List<string>();
        var listedBlocks = manifest.Blocks.GroupBy(b => b.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var listedVotes = manifest.Blocks.SelectMany(b => b.Votes.Select(v => (Vote: v, Block: b.Id)))
            .GroupBy(v => v.Vote.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var seen = new HashSet<(RecordKind, string)>();
        var contents = new BundleContents();

        foreach (var document in bundle.Documents())
        {
            if (document.Id is null)
            {
                problems.Add($"a {document.Table} document has no string id");
                continue;
            }
            if (!seen.Add((document.Kind, document.Id)))
            {
                problems.Add($"{document.Describe}: the bundle holds it twice");
                continue;
            }
            var result = validator.ValidateAndRead(document.Json, document.Kind, out var record, out _);
            if (!result.IsValid)
            {
                problems.Add($"{document.Describe}: {result.Reason}: {result.Message}");
                continue;
            }
            var digest = BundleDigest.Of(document.Json);
            switch (record)
            {
                case Block block when !listedBlocks.TryGetValue(block.Id, out var listed):
                    problems.Add($"{document.Describe}: not in the bundle's manifest");
                    break;
                case Block block:
                    if (listedBlocks[block.Id].Digest != digest)
                        problems.Add($"{document.Describe}: differs from the manifest's digest (a byte outside what its signature covers changed)");
                    contents.Add(block);
                    break;
                case Vote vote when !listedVotes.TryGetValue(document.Id, out var listed):
                    problems.Add($"{document.Describe}: not in the bundle's manifest");
                    break;
                case Vote vote:
                    var (entry, blockId) = listedVotes[document.Id];
                    if (entry.Digest != digest)
                        problems.Add($"{document.Describe}: differs from the manifest's digest (a byte outside what its signature covers changed)");
                    else if (entry.Voter != vote.NodePubkey || blockId != vote.VotingForBlock)
                        problems.Add($"{document.Describe}: the manifest lists it as {entry.Voter}'s vote on block {blockId}");
                    contents.Add(vote);
                    break;
            }
        }

        foreach (var id in listedBlocks.Keys.Where(id => !seen.Contains((RecordKind.Block, id))))
            problems.Add($"block {id}: listed in the manifest but missing from the bundle");
        foreach (var (id, listed) in listedVotes.Where(v => !seen.Contains((RecordKind.Vote, v.Key))))
            problems.Add($"vote {id}: listed in the manifest ({listed.Vote.Voter}'s vote on block {listed.Block}) but missing from the bundle");
        foreach (var vote in contents.Votes.Where(v => !contents.HasBlock(v.VotingForBlock)))
            problems.Add($"vote {vote.Id}: on block {vote.VotingForBlock}, which the bundle does not hold in a form that verifies");

        var elections = BundleElections.Decide(contents, trusted.Keys);
        var outcomes = elections.ToDictionary(e => e.Key,
            e => new BlockOutcome(e.Key, BundleElections.Status(e.Value.Result.Status), ElectionEra.Name(e.Value.Rules), e.Value.Result.Voters,
                e.Value.Result.ValidVotes, e.Value.Result.InvalidVotes, contents.Block(e.Key)!.IsGenesis), StringComparer.Ordinal);
        foreach (var (id, outcome) in outcomes)
        {
            if (listedBlocks.TryGetValue(id, out var listed) && listed.Election.Status != outcome.Status)
                problems.Add($"block {id}: the manifest says {listed.Election.Status}, its votes decide {outcome.Status}");
        }

        var selection = manifest.Selection.ToSelection();
        var listedTransactions = manifest.Transactions.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in selection.TransactionIds.Concat(contents.Blocks.SelectMany(selection.Matching)).Distinct().Where(id => !listedTransactions.Contains(id)))
            problems.Add($"transaction {id}: selected, but not among the manifest's transactions");

        var verdicts = manifest.Transactions.Select(t => t.Id).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(id => Verdict(id, contents, outcomes)).ToList();
        return new BundleVerification(bundle.Path, trusted, contents.Blocks.Count, contents.Votes.Count, problems, verdicts);
    }

    private static TransactionVerdict Verdict(string id, BundleContents contents, IReadOnlyDictionary<string, BlockOutcome> outcomes)
    {
        var holding = contents.Blocks.Where(b => b.TransactionIds.Contains(id)).Select(b => outcomes[b.Id]).ToList();
        var deciding = holding.FirstOrDefault(b => b.Status == "valid") ?? holding.FirstOrDefault(b => b.Status == "undecided") ?? holding.FirstOrDefault();
        var status = deciding?.Status switch
        {
            "valid" => TransactionStatus.Valid,
            "undecided" => TransactionStatus.Undecided,
            "invalid" => TransactionStatus.Invalid,
            _ => TransactionStatus.NotFound,
        };
        var votes = deciding is null ? [] : contents.VotesFor(deciding.Id).Select(v => new VoteOutcome(v.Id!, v.NodePubkey, v.IsBlockValid)).ToList();
        return new TransactionVerdict(id, status, deciding, votes, holding);
    }
}
