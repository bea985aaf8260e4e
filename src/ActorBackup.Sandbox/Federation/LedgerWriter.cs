using System.Text;
using System.Text.Json;
using ActorBackup.Ledger.Simulation;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Sandbox.Federation;

/// <summary>
/// Writes rounds as BigchainDB 0.10 did: blocks as <c>r.json(text)</c> with hard durability, then the votes on
/// them as documents without <c>id</c>, so RethinkDB generates it. One insert per table per batch.
/// </summary>
public sealed class LedgerWriter(IConnection connection, string database)
{
    public async Task WriteAsync(IReadOnlyList<SimulatedRound> rounds, CancellationToken ct)
    {
        var blocks = JsonArrayText(rounds.Select(r => r.Block.Json));
        var blockWrite = await R.Db(database).Table("bigchain").Insert(R.Json(blocks)).OptArg("durability", "hard").RunWriteAsync(connection, ct);
        Check(blockWrite, rounds.Count, "blocks");

        var votes = rounds.SelectMany(r => r.Votes).Select(v => v.Json).ToList();
        if (votes.Count == 0)
            return;
        using var document = JsonDocument.Parse(JsonArrayText(votes));
        var voteWrite = await R.Db(database).Table("votes").Insert(document.RootElement).RunWriteAsync(connection, ct);
        Check(voteWrite, votes.Count, "votes");
    }

    private static string JsonArrayText(IEnumerable<byte[]> documents)
    {
        var text = new StringBuilder("[");
        foreach (var json in documents)
        {
            if (text.Length > 1)
                text.Append(',');
            text.Append(Encoding.UTF8.GetString(json));
        }
        return text.Append(']').ToString();
    }

    /// <exception cref="SandboxException">The server stored fewer documents than it was sent.</exception>
    private void Check(WriteResult result, int expected, string what)
    {
        if (result.Inserted != expected)
            throw new SandboxException($"the server stored {result.Inserted} of {expected} {what} in {database}: {result.FirstError ?? "no reason given"}");
    }
}
