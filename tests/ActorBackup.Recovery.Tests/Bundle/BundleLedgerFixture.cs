using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Election;
using ActorBackup.Ledger.Federation;
using ActorBackup.Ledger.Simulation;
using ActorBackup.Recovery.Restore;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;
using ActorBackup.Sandbox.Reqlite;
using ActorBackup.Testing;

namespace ActorBackup.Recovery.Tests.Bundle;

/// <summary>
/// A real reqlite holding a generated BigchainDB 0.10 federation ledger (3 nodes, 2 transactions a block, a third of
/// the votes saying invalid) twice: in <see cref="Indexed"/> with BigchainDB's secondary indexes, in
/// <see cref="Plain"/> without any. Beside the rounds, the scenarios BigchainDB produces after invalid blocks:
/// <see cref="Reincluded"/> puts back the transactions of the first invalid block and all nodes vote it valid; 
/// <see cref="Pending"/> puts back those of the second invalid block and has one vote so far. The third invalid
/// block's transactions stay only there. Votes are inserted without ids, so reqlite gives them their ids.
/// </summary>
public sealed class BundleLedgerFixture : IAsyncLifetime
{
    public const string Indexed = "bigchain";
    public const string Plain = "bigchain_plain";
    private const string Seed = "client-bundle-tests";

    private readonly FederationSimulator _simulator = new(new SimulationOptions(Seed, Nodes: 3, TransactionsPerBlock: 2,
        Faults: new FaultRates(InvalidVotes: 0.35), Clock: SimulationClocks.Virtual()));

    public ReqliteServer Server { get; private set; } = null!;

    public string Root { get; } = Directory.CreateTempSubdirectory("actorbackup-bundle-tests-").FullName;

    public string KeyFile => Path.Combine(Root, "federation-keys.json");

    public FederationKeys Federation => _simulator.Federation;

    /// <summary>Every block written, in order: the rounds' (genesis first), then <see cref="Reincluded"/> and <see cref="Pending"/>.</summary>
    public List<Block> Blocks { get; } = [];

    /// <summary>Each block's election from the votes written, by 0.10 rules.</summary>
    public Dictionary<string, BlockStatus> Status { get; } = new(StringComparer.Ordinal);

    /// <summary>The blocks the rounds made that their votes decide invalid, in order.</summary>
    public List<Block> InvalidBlocks { get; } = [];

    public Block Reincluded { get; private set; } = null!;

    public Block Pending { get; private set; } = null!;

    /// <summary>Blocks of the rounds that their votes decide valid and whose transactions are in no other block.</summary>
    public IEnumerable<Block> PlainValidBlocks => Blocks.Where(b => !b.IsGenesis && Status[b.Id] == BlockStatus.Valid && b != Reincluded);

    public async Task InitializeAsync()
    {
        Server = await ReqliteServer.StartAsync();
        System.IO.File.WriteAllText(KeyFile, _simulator.KeyFile());
        SimulationResume? resume = null;
        var rounds = _simulator.Generate(24, resumeAfter: r => resume = r).ToList();
        var documents = rounds.SelectMany(r => r.Votes.Prepend(r.Block)).ToList();
        foreach (var round in rounds)
        {
            var block = LedgerReader.ReadBlock(round.Block.Json)!;
            Blocks.Add(block);
            Status[block.Id] = Decide(block, round.Votes);
            if (!block.IsGenesis && Status[block.Id] == BlockStatus.Invalid)
                InvalidBlocks.Add(block);
        }
        if (InvalidBlocks.Count < 3)
            throw new InvalidOperationException($"seed {Seed} made {InvalidBlocks.Count} invalid blocks; the scenarios need 3");

        var last = new Dictionary<string, string>(resume!.LastVotedBlock, StringComparer.Ordinal);
        var reincluded = _simulator.Block(0, Transactions(InvalidBlocks[0]));
        var reincludedVotes = Enumerable.Range(0, 3).Select(n => _simulator.Vote(n, reincluded.BlockId, last[Key(n)], valid: true)).ToList();
        var pending = _simulator.Block(1, Transactions(InvalidBlocks[1]));
        var pendingVotes = new[] { _simulator.Vote(0, pending.BlockId, reincluded.BlockId, valid: true) };
        documents.AddRange([reincluded, .. reincludedVotes, pending, .. pendingVotes]);
        Reincluded = LedgerReader.ReadBlock(reincluded.Json)!;
        Pending = LedgerReader.ReadBlock(pending.Json)!;
        Blocks.AddRange([Reincluded, Pending]);
        Status[Reincluded.Id] = Decide(Reincluded, reincludedVotes);
        Status[Pending.Id] = Decide(Pending, pendingVotes);

        await WriteAsync(Indexed, documents);
        await WriteAsync(Plain, documents, indexes: false);
    }

    /// <summary>
    /// Writes <paramref name="documents"/> into <paramref name="db"/>, first creating it with its tables (and
    /// BigchainDB's indexes with <paramref name="indexes"/>) unless <paramref name="create"/> is false.
    /// </summary>
    public async Task WriteAsync(string db, IEnumerable<SimulatedDocument> documents, bool indexes = true, bool create = true)
    {
        await using var connection = await ConnectAsync();
        if (create)
        {
            await R.DbCreate(db).RunAtomAsync(connection);
            foreach (var table in new[] { "bigchain", "votes" })
            {
                await R.Db(db).TableCreate(table).RunAtomAsync(connection);
                foreach (var index in indexes ? BigchainDbSchema.IndexesOf(table) : [])
                    await index.CreateOn(R.Db(db).Table(table)).RunAtomAsync(connection);
            }
        }
        var list = documents.ToList();
        await InsertAsync(connection, db, "bigchain", list.Where(d => d.Kind == RecordKind.Block));
        await InsertAsync(connection, db, "votes", list.Where(d => d.Kind == RecordKind.Vote));
    }

    /// <summary>A fresh simulator of this fixture's federation, to make more documents it signs.</summary>
    public static FederationSimulator NewSimulator() => new(new SimulationOptions(Seed, Nodes: 3, TransactionsPerBlock: 2,
        Faults: new FaultRates(InvalidVotes: 0.35), Clock: SimulationClocks.Virtual()));

    /// <summary>Every document of a table as the source holds it, by id.</summary>
    public async Task<Dictionary<string, JsonNode>> SourceAsync(string db, string table)
    {
        await using var connection = await ConnectAsync();
        var all = await R.Db(db).Table(table).RunAtomAsync(connection);
        return all.EnumerateArray().Select(e => JsonNode.Parse(e.GetRawText())!).ToDictionary(n => n["id"]!.GetValue<string>());
    }

    /// <summary>The source's votes on <paramref name="blocks"/>, by id.</summary>
    public async Task<Dictionary<string, JsonNode>> VotesOnAsync(string db, IEnumerable<string> blocks)
    {
        var wanted = blocks.ToHashSet(StringComparer.Ordinal);
        return (await SourceAsync(db, "votes")).Where(v => wanted.Contains(v.Value["vote"]!["voting_for_block"]!.GetValue<string>()))
            .ToDictionary(v => v.Key, v => v.Value);
    }

    public string File(string name) => Path.Combine(Root, name);

    public async Task DisposeAsync()
    {
        _simulator.Dispose();
        await Server.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }

    private string Key(int node) => Federation.Members[node].PublicKey;

    private BlockStatus Decide(Block block, IEnumerable<SimulatedDocument> votes) =>
        BlockElection.Decide(block, votes.Select(v => LedgerReader.ReadVote(v.Json)!), Federation, ElectionRules.V010).Status;

    private static IEnumerable<byte[]> Transactions(Block block)
    {
        using var document = JsonDocument.Parse(block.Json);
        return document.RootElement.GetProperty("block").GetProperty("transactions").EnumerateArray()
            .Select(tx => Encoding.UTF8.GetBytes(tx.GetRawText())).ToList();
    }

    private static async Task InsertAsync(Connection connection, string db, string table, IEnumerable<SimulatedDocument> documents)
    {
        var array = "[" + string.Join(",", documents.Select(d => Encoding.UTF8.GetString(d.Json))) + "]";
        using var parsed = JsonDocument.Parse(array);
        var result = await R.Db(db).Table(table).Insert(parsed.RootElement).RunWriteAsync(connection);
        if (result.Errors > 0)
            throw new InvalidOperationException($"reqlite refused {result.Errors} {table} documents: {result.FirstError}");
    }

    private Task<Connection> ConnectAsync() => Connection.ConnectAsync(new ConnectionOptions { Host = Server.Host, Port = Server.Port });
}
