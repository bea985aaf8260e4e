using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ActorBackup.Ledger.Json;
using ActorBackup.Ledger.Simulation;

namespace ActorBackup.Bench.Capture;

/// <summary>
/// A simulated vote as a RethinkDB holds it: canonical JSON with the UUID RethinkDB generates on insert as id, here
/// derived from the content so that every run agrees. Canonical JSON sorts keys, so the bytes start with
/// <see cref="IdPrefix"/> and the <see cref="IdLength"/>-character id.
/// </summary>
internal static class StoredVote
{
    public const int IdLength = 36;

    public static readonly byte[] IdPrefix = "{\"id\":\""u8.ToArray();

    public static byte[] Of(SimulatedDocument vote)
    {
        var document = (JsonObject)JsonNode.Parse(vote.Json)!;
        document["id"] = new Guid(SHA256.HashData(vote.Json).AsSpan(0, 16)).ToString();
        var bytes = CanonicalJson.ToBytes(document);
        if (!bytes.AsSpan().StartsWith(IdPrefix)) throw new InvalidOperationException("A canonical vote does not start with its id.");
        return bytes;
    }

    /// <summary>The id of a vote made by <see cref="Of"/>.</summary>
    public static string IdOf(byte[] stored) => Encoding.ASCII.GetString(stored, IdPrefix.Length, IdLength);
}
