namespace ActorBackup.Ledger.Documents;

/// <summary>The RethinkDB tables of a BigchainDB federation that hold signed records, and the kind each holds.</summary>
public static class LedgerTables
{
    /// <summary>BigchainDB's index of blocks on <c>block.timestamp</c>, a string of Unix seconds; capture's catch-up reads through it.</summary>
    public const string BlockTimestampIndex = "block_timestamp";

    /// <summary>BigchainDB's index of votes on <c>[vote.voting_for_block, node_pubkey]</c>; capture's catch-up of votes reads through it.</summary>
    public const string BlockAndVoterIndex = "block_and_voter";

    /// <summary>The table of blocks.</summary>
    public const string BlocksTable = "bigchain";

    /// <summary>The table of votes.</summary>
    public const string VotesTable = "votes";

    /// <summary>The kind of record <paramref name="table"/> holds: blocks in <c>bigchain</c>, votes in <c>votes</c>; null for any other table.</summary>
    public static RecordKind? KindOf(string table) => table switch
    {
        BlocksTable => RecordKind.Block,
        VotesTable => RecordKind.Vote,
        _ => null,
    };
}
