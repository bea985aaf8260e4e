using System.Text.RegularExpressions;
using ActorBackup.Recovery.Restore;
using ActorBackup.ReQL.Ast;

namespace ActorBackup.Recovery.Tests.Restore;

/// <summary>The index functions on the wire, against BigchainDB 0.10's `backend/rethinkdb/schema.py` written out by hand.</summary>
public sealed partial class BigchainDbSchemaTests
{
    // Variable ids are a process-wide counter: number them by first appearance so the shape can be compared.
    private static string Wire(IndexDefinition index)
    {
        var wire = R.Expr(0).Map(index.Function).Args[1].ToWireJson();
        var ids = new Dictionary<string, int>();
        string Rename(string id) => $"v{(ids.TryGetValue(id, out var n) ? n : ids[id] = ids.Count + 1)}";
        wire = FunctionParameters().Replace(wire, m => $"[69,[[2,[{string.Join(",", m.Groups[1].Value.Split(',').Select(Rename))}]]");
        return Variable().Replace(wire, m => $"[10,[{Rename(m.Groups[1].Value)}]]");
    }

    private static IndexDefinition Index(string name) => BigchainDbSchema.Indexes.Single(i => i.Name == name);

    [Fact]
    public void There_are_the_seven_indexes_of_BigchainDB_0_10_with_multi_where_it_set_it()
    {
        Assert.Equal(
            ["bigchain.block_timestamp", "bigchain.transaction_id*", "bigchain.asset_id*", "bigchain.outputs*", "bigchain.inputs*",
             "backlog.assignee__transaction_timestamp", "votes.block_and_voter"],
            BigchainDbSchema.Indexes.Select(i => $"{i.Table}.{i.Name}{(i.Multi ? "*" : "")}"));
    }

    [Fact]
    public void Outputs_concat_maps_each_transactions_output_keys_and_flattens_them_with_a_reduce()
    {
        // row.block.transactions.concat_map(tx => tx.outputs.public_keys).reduce((l, r) => l + r)
        Assert.Equal(
            """[69,[[2,[v1]],[37,[[40,[[170,[[170,[[10,[v1]],"block"]],"transactions"]],[69,[[2,[v2]],[170,[[170,[[10,[v2]],"outputs"]],"public_keys"]]]]]],[69,[[2,[v3,v4]],[24,[[10,[v3]],[10,[v4]]]]]]]]]]""",
            Wire(Index("outputs")));
    }

    [Fact]
    public void Inputs_pairs_each_fulfilled_txid_with_its_output()
    {
        // row.block.transactions.concat_map(tx => tx.inputs.fulfills).with_fields('txid', 'output').map(f => [f.txid, f.output])
        Assert.Equal(
            """[69,[[2,[v1]],[38,[[96,[[40,[[170,[[170,[[10,[v1]],"block"]],"transactions"]],[69,[[2,[v2]],[170,[[170,[[10,[v2]],"inputs"]],"fulfills"]]]]]],"txid","output"]],[69,[[2,[v3]],[2,[[170,[[10,[v3]],"txid"]],[170,[[10,[v3]],"output"]]]]]]]]]]""",
            Wire(Index("inputs")));
    }

    [Fact]
    public void The_compound_indexes_are_arrays_of_the_two_fields()
    {
        Assert.Equal(
            """[69,[[2,[v1]],[2,[[170,[[170,[[10,[v1]],"vote"]],"voting_for_block"]],[170,[[10,[v1]],"node_pubkey"]]]]]]""",
            Wire(Index("block_and_voter")));
        Assert.Equal(
            """[69,[[2,[v1]],[2,[[170,[[10,[v1]],"assignee"]],[170,[[10,[v1]],"assignment_timestamp"]]]]]]""",
            Wire(Index("assignee__transaction_timestamp")));
    }

    [GeneratedRegex(@"\[69,\[\[2,\[([\d,]+)\]\]")]
    private static partial Regex FunctionParameters();

    [GeneratedRegex(@"\[10,\[(\d+)\]\]")]
    private static partial Regex Variable();
}
