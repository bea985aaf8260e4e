using ActorBackup.Ledger.Election;
using ActorBackup.Ledger.Federation;
using ActorBackup.Recovery.Bundle.Manifest;

namespace ActorBackup.Recovery.Bundle;

/// <summary>Each block's election from the votes a bundle holds, under the rules of the version that wrote the block (<see cref="ElectionEra"/>).</summary>
public static class BundleElections
{
    public static IReadOnlyDictionary<string, (ElectionResult Result, ElectionRules Rules)> Decide(BundleContents contents, FederationKeys federation) =>
        contents.Blocks.ToDictionary(b => b.Id, b =>
        {
            var rules = ElectionEra.Of(b);
            return (BlockElection.Decide(b, contents.VotesFor(b.Id), federation, rules), rules);
        }, StringComparer.Ordinal);

    public static BundleElection ToManifest(ElectionResult result, ElectionRules rules) =>
        new(Status(result.Status), ElectionEra.Name(rules), result.Voters, result.ValidVotes, result.InvalidVotes);

    public static string Status(BlockStatus status) => status.ToString().ToLowerInvariant();
}
