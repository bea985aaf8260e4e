using System.Text;
using System.Text.Json.Nodes;

namespace ActorBackup.Ledger.Tests.Support;

/// <summary>Signs votes with the published private keys of the fixture nodes (test_vectors.json).</summary>
internal static class FixtureSigner
{
    public static byte[] Seed(string publicKey) =>
        Convert.FromHexString(Fixtures.TestVectors.GetProperty("keypairs").EnumerateArray()
            .First(k => k.GetProperty("public").GetString() == publicKey).GetProperty("private_seed_hex").GetString()!);

    public static Vote SignVote(string voter, string votingFor, string previous, bool valid, long timestamp)
    {
        var vote = new JsonObject
        {
            ["invalid_reason"] = null,
            ["is_block_valid"] = valid,
            ["previous_block"] = previous,
            ["timestamp"] = timestamp.ToString(),
            ["voting_for_block"] = votingFor,
        };
        using var key = Ed25519Crypto.ImportSeed(Seed(voter));
        var signature = Ed25519Crypto.Algorithm.Sign(key, CanonicalJson.ToBytes(vote));
        var document = new JsonObject { ["node_pubkey"] = voter, ["signature"] = Base58.Encode(signature), ["vote"] = vote };
        return LedgerReader.ReadVote(Encoding.UTF8.GetBytes(document.ToJsonString()))!;
    }
}
