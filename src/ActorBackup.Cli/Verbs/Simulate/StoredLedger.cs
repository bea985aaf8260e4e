using System.Globalization;
using System.Text.Json;
using ActorBackup.Ledger.Simulation;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cli.Verbs.Simulate;

/// <summary>
/// What an earlier run left in the database: where to continue (<see cref="Resume"/>, null when empty), the newest
/// timestamp of any block or vote (where a virtual clock continues), the genesis block's voters (whose federation
/// it is), and how many transactions the last block holds (a continuation must keep the count: a TRANSFER spends
/// the CREATE in its slot of the block before).
/// </summary>
internal sealed record StoredLedger(SimulationResume? Resume, long? NewestTimestamp, IReadOnlyList<string> GenesisVoters, int LastBlockTransactions)
{
    public static async Task<StoredLedger> ReadAsync(IConnection connection, string database, CancellationToken ct)
    {
        var db = R.Db(database);
        var blocks = new List<StoredBlockMark>();
        var transactionCounts = new Dictionary<string, int>(StringComparer.Ordinal);
        long? newest = null;
        var blockRows = db.Table("bigchain").Map(b => R.Array(
            b["id"],
            b["block"]["transactions"][0]["operation"].Default(R.Expr(null)),
            b["block"]["transactions"][0]["metadata"][FederationSimulator.BlockNumberKey].Default(R.Expr(null)),
            b["block"]["timestamp"].Default(R.Expr(null)),
            b["block"]["transactions"].Count().Default(0)));
        await using (var cursor = await blockRows.RunCursorAsync(connection, ct))
        {
            await foreach (var row in cursor.WithCancellation(ct))
            {
                var id = row[0].GetString()!;
                long number;
                if (row[1].ValueKind == JsonValueKind.String && row[1].GetString() == "GENESIS")
                    number = 0;
                else if (row[2].ValueKind == JsonValueKind.Number && row[2].TryGetInt64(out var n) && n > 0)
                    number = n;
                else
                    throw new InvalidDataException($"block {id} carries no simulated block number, so the database holds blocks this simulator did not write");
                blocks.Add(new StoredBlockMark(id, number));
                transactionCounts[id] = row[4].GetInt32();
                newest = Max(newest, row[3]);
            }
        }

        var votes = new List<StoredVoteMark>();
        var voteRows = db.Table("votes").Map(v => R.Array(
            v["node_pubkey"].Default(R.Expr(null)),
            v["vote"]["previous_block"].Default(R.Expr(null)),
            v["vote"]["voting_for_block"].Default(R.Expr(null)),
            v["vote"]["timestamp"].Default(R.Expr(null))));
        await using (var cursor = await voteRows.RunCursorAsync(connection, ct))
        {
            await foreach (var row in cursor.WithCancellation(ct))
            {
                newest = Max(newest, row[3]);
                if (row[0].ValueKind != JsonValueKind.String || row[1].ValueKind != JsonValueKind.String || row[2].ValueKind != JsonValueKind.String)
                    continue;
                var timestamp = row[3].ValueKind == JsonValueKind.String ? row[3].GetString() : null;
                votes.Add(new StoredVoteMark(row[0].GetString()!, row[1].GetString()!, row[2].GetString()!, timestamp));
            }
        }

        var resume = SimulationResumeFinder.Find(blocks, votes);
        if (resume is null)
            return new StoredLedger(null, newest, [], 0);
        var voters = await db.Table("bigchain").Get(resume.GenesisBlockId)["block"]["voters"].RunAtomAsync(connection, ct);
        var genesisVoters = voters.ValueKind == JsonValueKind.Array
            ? voters.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList()
            : [];
        return new StoredLedger(resume, newest, genesisVoters, transactionCounts[resume.LastBlockId]);
    }

    private static long? Max(long? current, JsonElement timestamp) =>
        timestamp.ValueKind == JsonValueKind.String && long.TryParse(timestamp.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? Math.Max(current ?? seconds, seconds)
            : current;
}
