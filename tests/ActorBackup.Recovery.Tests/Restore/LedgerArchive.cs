using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActorBackup.Ledger.Simulation;
using ActorBackup.Recovery.Archive;

namespace ActorBackup.Recovery.Tests.Restore;

/// <summary>
/// A dump archive of a simulated BigchainDB ledger, written with <see cref="DumpArchiveWriter"/>: <c>bigchain</c>
/// (signed blocks), <c>votes</c> (signed votes, each with a RethinkDB-style uuid id) and <c>backlog</c>. The
/// bigchain and backlog metadata list no indexes (as archives written without a live server); votes lists
/// indexes the way reqlite reports them (<c>function: {}</c>), one of which BigchainDB does not have.
/// </summary>
internal sealed record LedgerArchive(string Path, IReadOnlyDictionary<string, IReadOnlyList<(long Timestamp, byte[] Json)>> Rows)
{
    public static async Task<LedgerArchive> WriteAsync(string path, int blocks, int backlog, string temp)
    {
        using var simulator = new FederationSimulator(new SimulationOptions("restore-tests", TransactionsPerBlock: 2,
            Clock: SimulationClocks.Virtual()));
        var rows = new Dictionary<string, List<(long, byte[])>> { ["bigchain"] = [], ["votes"] = [], ["backlog"] = [] };
        var voteNumber = 0;
        foreach (var round in simulator.Generate(blocks))
        {
            rows["bigchain"].Add((round.Block.Timestamp, round.Block.Json));
            foreach (var vote in round.Votes)
                rows["votes"].Add((vote.Timestamp, WithId(vote.Json, $"{voteNumber++:x8}-0716-4f8e-a580-9e09763434c0")));
        }
        for (var i = 0; i < backlog; i++)
        {
            rows["backlog"].Add((0, Encoding.UTF8.GetBytes(
                $$$"""{"id":"{{{i:x64}}}","assignee":"node-{{{i % 4}}}","assignment_timestamp":"{{{1500000000 + i}}}","transaction":{"operation":"CREATE","n":{{{i}}}.5,"note":"Grüße \"{{{i}}}\""}}""")));
        }
        var votesIndexes = JsonDocument.Parse("""
            [{"function":{},"geo":false,"index":"block_and_voter","multi":false,"outdated":false,"ready":true},
             {"function":{},"geo":false,"index":"by_signature","multi":false,"outdated":false,"ready":true}]
            """).RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
        await using (var file = File.Create(path))
        await using (var archive = DumpArchiveWriter.Create(file, new DumpArchiveOptions { TempDirectory = temp }))
        {
            foreach (var (table, documents) in rows)
            {
                using var data = archive.BeginTable(new TableInfo("bigchain", table, "id", table == "votes" ? [.. votesIndexes] : []));
                foreach (var (_, json) in documents)
                    data.WriteRow(json);
                await data.CompleteAsync();
            }
            await archive.CompleteAsync();
        }
        return new LedgerArchive(path, rows.ToDictionary(r => r.Key, r => (IReadOnlyList<(long, byte[])>)r.Value));
    }

    private static byte[] WithId(byte[] json, string id)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        if (!node.ContainsKey("id"))
            node["id"] = id;
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }
}
