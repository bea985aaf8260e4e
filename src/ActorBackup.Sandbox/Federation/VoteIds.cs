using System.Text;
using ActorBackup.Ledger.Simulation;

namespace ActorBackup.Sandbox.Federation;

/// <summary>
/// Gives a round's votes their primary key before they are written. BigchainDB leaves it to RethinkDB, and one
/// RethinkDB cluster generates it once for every server; independent servers standing in for that cluster would
/// each generate their own, so the feed assigns it.
/// </summary>
public static class VoteIds
{
    public static SimulatedRound Assign(SimulatedRound round) =>
        round with { Votes = round.Votes.Select(v => v with { Json = WithId(v.Json, Guid.NewGuid()) }).ToArray() };

    private static byte[] WithId(byte[] json, Guid id)
    {
        if (json.Length < 2 || json[0] != (byte)'{' || json[1] == (byte)'}')
            throw new ArgumentException("a simulated vote is a non-empty JSON object", nameof(json));
        var field = Encoding.UTF8.GetBytes($"{{\"id\":\"{id:D}\",");
        return [.. field, .. json.AsSpan(1)];
    }
}
