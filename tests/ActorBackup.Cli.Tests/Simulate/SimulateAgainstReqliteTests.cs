using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Ledger.Audit;
using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Federation;
using ActorBackup.Ledger.Simulation;
using ActorBackup.Ledger.Validation;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;
using ActorBackup.Sandbox.Reqlite;
using ActorBackup.Testing;

namespace ActorBackup.Cli.Tests.Simulate;

public sealed class SimulateAgainstReqliteTests(ReqliteFixture fixture) : IClassFixture<ReqliteFixture>
{
    private const long VirtualStart = 1_500_000_000;

    private ReqliteServer Server => fixture.Server;

    private async Task<(int Code, string Out, string Err)> Simulate(string database, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Program.RunAsync(["simulate", "--source", Server.Endpoint, "--db", database, .. args], output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private static List<SimulatedRound> Expected(long seed, int blocks, int transactions, FaultRates? faults = null, int nodes = 4)
    {
        var options = new SimulationOptions(seed.ToString(CultureInfo.InvariantCulture), nodes, transactions,
            Faults: faults, Clock: SimulationClocks.Virtual(VirtualStart), MalformedAsJson: true);
        using var simulator = new FederationSimulator(options);
        return simulator.Generate(blocks).ToList();
    }

    private static string Field(string json, params string[] path)
    {
        JsonNode? node = JsonNode.Parse(json);
        foreach (var name in path)
            node = node?[name];
        return node?.GetValue<string>() ?? throw new InvalidOperationException($"{string.Join(".", path)} missing in {json}");
    }

    [Fact]
    public async Task The_database_gets_BigchainDB_tables_and_every_secondary_index()
    {
        var (code, output, error) = await Simulate("schema", "--blocks", "2");
        Assert.True(code == ExitCodes.Ok, error);
        Assert.DoesNotContain("warning", output);

        await using var connection = await Connection.ConnectAsync(new ConnectionOptions { Host = Server.Host, Port = Server.Port });
        async Task<string[]> Names(ReqlAst term) =>
            (await term.RunAtomAsync(connection)).EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["backlog", "bigchain", "votes"], await Names(R.Db("schema").TableList()));
        Assert.Equal(["asset_id", "block_timestamp", "inputs", "outputs", "transaction_id"], await Names(R.Db("schema").Table("bigchain").IndexList()));
        Assert.Equal(["assignee__transaction_timestamp"], await Names(R.Db("schema").Table("backlog").IndexList()));
        Assert.Equal(["block_and_voter"], await Names(R.Db("schema").Table("votes").IndexList()));
    }

    [Fact]
    public async Task The_outputs_and_inputs_index_functions_yield_each_output_key_and_each_spent_output()
    {
        // Block 3 with one transaction holds only a TRANSFER: reqlite's with_fields fails on the null `fulfills` of a
        // CREATE input, where RethinkDB skips it, so the inputs index only evaluates on reqlite for such blocks.
        var round = Expected(21, 4, 1)[3];
        using var block = JsonDocument.Parse(round.Block.Json);
        var transactions = block.RootElement.GetProperty("block").GetProperty("transactions").EnumerateArray().ToList();
        var outputKeys = transactions.SelectMany(t => t.GetProperty("outputs").EnumerateArray())
            .SelectMany(o => o.GetProperty("public_keys").EnumerateArray()).Select(k => k.GetString()).ToList();
        var spent = transactions.SelectMany(t => t.GetProperty("inputs").EnumerateArray())
            .Select(i => i.GetProperty("fulfills")).Where(f => f.ValueKind == JsonValueKind.Object)
            .Select(f => $"[\"{f.GetProperty("txid").GetString()}\",{f.GetProperty("output").GetInt32()}]").ToList();
        Assert.NotEmpty(spent);

        await using var connection = await Connection.ConnectAsync(new ConnectionOptions { Host = Server.Host, Port = Server.Port });
        var index = BigchainSchemaIndexes();
        var outputs = await R.Expr(block.RootElement).Do(index["outputs"]).RunAtomAsync(connection);
        var inputs = await R.Expr(block.RootElement).Do(index["inputs"]).RunAtomAsync(connection);

        Assert.Equal(outputKeys, outputs.EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(spent, inputs.EnumerateArray().Select(pair => pair.GetRawText().Replace(" ", "")));
    }

    private static Dictionary<string, Func<ReqlExpr, ReqlExpr>> BigchainSchemaIndexes() =>
        ActorBackup.Recovery.Restore.BigchainDbSchema.IndexesOf("bigchain").ToDictionary(i => i.Name, i => i.Function);

    [Fact]
    public async Task Everything_written_verifies_deeply_except_the_injected_faults_which_are_detected_as_their_kind()
    {
        var faults = new FaultRates(InvalidVotes: 0.1, MissingVotes: 0.1, ForgedSignatures: 0.1, MalformedDocuments: 0.1);
        var keys = Path.Combine(Path.GetTempPath(), $"actorbackup-keys-{Guid.NewGuid():N}.json");
        try
        {
            var (code, output, error) = await Simulate("faults", "--seed", "11", "--blocks", "40", "--txs-per-block", "2", "--clock", "virtual",
                "--invalid-votes", "0.1", "--missing-votes", "0.1", "--forged-signatures", "0.1", "--malformed", "0.1", "--keys-out", keys, "--json");
            Assert.True(code == ExitCodes.Ok, error);

            var expected = Expected(11, 40, 2, faults);
            var documents = expected.SelectMany(r => r.Votes.Prepend(r.Block)).ToList();
            var summary = JsonNode.Parse(output)!;
            Assert.Equal(documents.Count(d => d.Fault == SimulatedFault.InvalidVote), summary["faults"]!["invalid_votes"]!.GetValue<long>());
            Assert.Equal(expected.Sum(r => r.LostVoters.Count), summary["faults"]!["missing_votes"]!.GetValue<long>());
            Assert.Equal(documents.Count(d => d.Fault == SimulatedFault.ForgedSignature), summary["faults"]!["forged_signatures"]!.GetValue<long>());
            Assert.Equal(documents.Count(d => d.Fault == SimulatedFault.Malformed), summary["faults"]!["malformed"]!.GetValue<long>());

            var validator = new LedgerValidator(FederationKeyFile.Load(keys), new LedgerValidatorOptions(Deep: true));
            var expectedBlocks = expected.ToDictionary(r => r.Block.BlockId, r => r.Block.Fault);
            var expectedVotes = expected.SelectMany(r => r.Votes).ToDictionary(v => (v.Signer, v.BlockId), v => v.Fault);
            var stored = await StoredDocuments.ReadAsync(Server, "faults");
            Assert.Equal(expectedBlocks.Count, stored.Blocks.Count);
            Assert.Equal(expectedVotes.Count, stored.Votes.Count);

            var seen = new HashSet<SimulatedFault>();
            foreach (var block in stored.Blocks)
            {
                var fault = expectedBlocks[Field(block, "id")];
                seen.Add(fault);
                AssertDetected(fault, validator.Validate(Encoding.UTF8.GetBytes(block), RecordKind.Block), block, isVote: false);
            }
            foreach (var vote in stored.Votes)
            {
                var fault = expectedVotes[(Field(vote, "node_pubkey"), Field(vote, "vote", "voting_for_block"))];
                seen.Add(fault);
                AssertDetected(fault, validator.Validate(Encoding.UTF8.GetBytes(vote), RecordKind.Vote), vote, isVote: true);
            }
            Assert.Equal(Enum.GetValues<SimulatedFault>().ToHashSet(), seen);
        }
        finally
        {
            File.Delete(keys);
        }
    }

    private static void AssertDetected(SimulatedFault fault, ValidationResult result, string json, bool isVote)
    {
        switch (fault)
        {
            case SimulatedFault.None:
                Assert.True(result.IsValid, $"{result}: {json}");
                if (isVote)
                    Assert.True(JsonNode.Parse(json)!["vote"]!["is_block_valid"]!.GetValue<bool>());
                break;
            case SimulatedFault.InvalidVote:
                Assert.True(result.IsValid, $"{result}: {json}");
                Assert.False(JsonNode.Parse(json)!["vote"]!["is_block_valid"]!.GetValue<bool>());
                break;
            case SimulatedFault.ForgedSignature:
                Assert.Equal(InvalidReason.SignatureMismatch, result.Reason);
                break;
            case SimulatedFault.Malformed:
                Assert.Contains(result.Reason, new[] { InvalidReason.MissingField, InvalidReason.WrongFieldType });
                break;
        }
    }

    [Fact]
    public async Task The_official_JavaScript_driver_reads_back_exactly_the_documents_meant_with_generated_vote_ids()
    {
        var (code, _, error) = await Simulate("official", "--seed", "5", "--blocks", "12", "--txs-per-block", "3", "--clock", "virtual",
            "--malformed", "0.2", "--missing-votes", "0.2");
        Assert.True(code == ExitCodes.Ok, error);

        const string script = """
            const r = require('rethinkdb');
            (async () => {
              const c = await r.connect({ host: process.argv[2], port: Number(process.argv[3]) });
              const db = r.db(process.argv[4]);
              const blocks = await db.table('bigchain').coerceTo('array').run(c);
              const votes = await db.table('votes').coerceTo('array').run(c);
              console.log(JSON.stringify({ blocks, votes }));
              await c.close();
            })().catch(e => { console.error(e.message); process.exit(1); });
            """;
        var printed = await NodeTools.RunScriptAsync(script, [Server.Host, Server.Port.ToString(CultureInfo.InvariantCulture), "official"], TimeSpan.FromSeconds(60));
        var read = JsonNode.Parse(printed)!;

        var expected = Expected(5, 12, 3, new FaultRates(MissingVotes: 0.2, MalformedDocuments: 0.2));
        var meantBlocks = expected.Select(r => StoredDocuments.Canonical(Encoding.UTF8.GetString(r.Block.Json))).Order(StringComparer.Ordinal);
        var meantVotes = expected.SelectMany(r => r.Votes).Select(v => StoredDocuments.Canonical(Encoding.UTF8.GetString(v.Json))).Order(StringComparer.Ordinal);
        var readBlocks = read["blocks"]!.AsArray().Select(b => StoredDocuments.Canonical(b!.ToJsonString())).Order(StringComparer.Ordinal);
        var readVotes = read["votes"]!.AsArray().Select(v => StoredDocuments.Canonical(v!.ToJsonString(), withoutId: true)).Order(StringComparer.Ordinal);
        Assert.Equal(meantBlocks, readBlocks);
        Assert.Equal(meantVotes, readVotes);
        Assert.All(read["votes"]!.AsArray(), v => Assert.True(Guid.TryParse(v!["id"]!.GetValue<string>(), out _), v.ToJsonString()));
        Assert.Contains(expected.SelectMany(r => r.Votes.Prepend(r.Block)), d => d.Fault == SimulatedFault.Malformed);
    }

    [Fact]
    public async Task Twenty_blocks_then_twenty_more_equal_forty_blocks_written_at_once()
    {
        var first = await Simulate("halves", "--seed", "3", "--blocks", "20", "--txs-per-block", "2", "--clock", "virtual", "--json");
        var second = await Simulate("halves", "--seed", "3", "--blocks", "20", "--txs-per-block", "2", "--clock", "virtual", "--json");
        var whole = await Simulate("whole", "--seed", "3", "--blocks", "40", "--txs-per-block", "2", "--clock", "virtual", "--json");
        Assert.True(first.Code == ExitCodes.Ok, first.Err);
        Assert.True(second.Code == ExitCodes.Ok, second.Err);
        Assert.True(whole.Code == ExitCodes.Ok, whole.Err);
        Assert.False(JsonNode.Parse(first.Out)!["resumed"]!.GetValue<bool>());
        Assert.True(JsonNode.Parse(second.Out)!["resumed"]!.GetValue<bool>());
        Assert.Equal(20, JsonNode.Parse(second.Out)!["first_block"]!.GetValue<long>());

        var halves = await StoredDocuments.ReadAsync(Server, "halves");
        var once = await StoredDocuments.ReadAsync(Server, "whole");
        Assert.Equal(40, once.Blocks.Count);
        Assert.Equal(39 * 4, once.Votes.Count);
        Assert.Equal(once.Blocks.Select(b => StoredDocuments.Canonical(b)).Order(StringComparer.Ordinal),
            halves.Blocks.Select(b => StoredDocuments.Canonical(b)).Order(StringComparer.Ordinal));
        Assert.Equal(once.Votes.Select(v => StoredDocuments.Canonical(v, withoutId: true)).Order(StringComparer.Ordinal),
            halves.Votes.Select(v => StoredDocuments.Canonical(v, withoutId: true)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_audit_finds_nothing_in_a_fault_free_ledger()
    {
        var (code, _, error) = await Simulate("clean", "--seed", "8", "--blocks", "30", "--txs-per-block", "2");
        Assert.True(code == ExitCodes.Ok, error);

        var report = await AuditAsync("clean", new LedgerAuditOptions(SkipGraceSeconds: 0));

        Assert.Empty(report.Findings);
        Assert.Equal(30, report.BlocksSeen);
        Assert.Equal(29 * 4, report.VotesSeen);
    }

    [Fact]
    public async Task The_audit_finds_the_missing_votes_that_later_votes_prove()
    {
        var (code, _, error) = await Simulate("lossy", "--seed", "9", "--blocks", "30", "--txs-per-block", "2", "--clock", "virtual", "--missing-votes", "0.15");
        Assert.True(code == ExitCodes.Ok, error);
        var rounds = Expected(9, 30, 2, new FaultRates(MissingVotes: 0.15));
        // A lost vote is provable only once the same node has a later vote.
        var provable = rounds
            .SelectMany(r => r.LostVoters.Select(voter => (Voter: voter, Round: r)))
            .Where(lost => rounds.Any(later => later.Number > lost.Round.Number && later.Votes.Any(v => v.Signer == lost.Voter)))
            .Select(lost => (lost.Voter, lost.Round.Block.BlockId))
            .ToHashSet();
        Assert.NotEmpty(provable);

        var report = await AuditAsync("lossy", new LedgerAuditOptions(SkipGraceSeconds: 0));

        Assert.All(report.Findings, f => Assert.Equal(AuditFindingKind.MissingVote, f.Kind));
        Assert.Equal(provable.Order(), report.Findings.Select(f => (f.Voter!, f.BlockId)).Distinct().Order());
    }

    private async Task<AuditReport> AuditAsync(string database, LedgerAuditOptions options)
    {
        var stored = await StoredDocuments.ReadAsync(Server, database);
        using var audit = new LedgerAudit(options);
        // Capture order: blocks as created, each node's votes as cast.
        var blocks = stored.Blocks.Select(b => Read(b, RecordKind.Block)).Cast<Block>().OrderBy(b => b.Timestamp);
        var votes = stored.Votes.Select(v => Read(v, RecordKind.Vote)).Cast<Vote>().OrderBy(v => v.Timestamp);
        foreach (var block in blocks)
            audit.Observe(block);
        foreach (var vote in votes)
            audit.Observe(vote);
        return audit.Complete();
    }

    private static LedgerRecord Read(string json, RecordKind kind) =>
        LedgerReader.TryRead(Encoding.UTF8.GetBytes(json), kind, out var record, out var failure)
            ? record!
            : throw new InvalidOperationException($"{failure}: {json}");

    [Fact]
    public async Task Another_seed_or_node_count_against_a_stored_federation_is_refused_in_one_line()
    {
        var (code, _, error) = await Simulate("owned", "--seed", "1", "--blocks", "3");
        Assert.True(code == ExitCodes.Ok, error);

        var otherSeed = await Simulate("owned", "--seed", "2", "--blocks", "3");
        var otherNodes = await Simulate("owned", "--seed", "1", "--nodes", "3", "--blocks", "3");
        var otherTransactions = await Simulate("owned", "--seed", "1", "--txs-per-block", "4", "--blocks", "3");

        Assert.Equal(ExitCodes.Usage, otherSeed.Code);
        Assert.Equal("actorbackup simulate: error: the database owned holds another federation: its genesis block's voters are not the 4 nodes of seed 2 (hint: give the --seed and --nodes of the run that created it, or another --db)\n",
            otherSeed.Err.ReplaceLineEndings("\n"));
        Assert.Equal(ExitCodes.Usage, otherNodes.Code);
        Assert.StartsWith("actorbackup simulate: error: the database owned holds another federation: its genesis block's voters are not the 3 nodes of seed 1", otherNodes.Err);
        Assert.Equal(ExitCodes.Usage, otherTransactions.Code);
        Assert.StartsWith("actorbackup simulate: error: the ledger in owned was written with --txs-per-block 10, not 4", otherTransactions.Err);
        Assert.Equal(3, (await StoredDocuments.ReadAsync(Server, "owned")).Blocks.Count);
    }

    [Fact]
    public async Task A_rate_spreads_the_blocks_over_time_by_schedule()
    {
        var clock = Stopwatch.StartNew();
        var (code, output, error) = await Simulate("paced", "--blocks", "6", "--rate", "20", "--txs-per-block", "1");

        Assert.True(code == ExitCodes.Ok, error);
        // Block i is due i/20 s after the start: the last of six at 0.25 s.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.25), $"{clock.Elapsed}");
        Assert.Contains("simulate: wrote blocks #0..#5 (6 blocks, 20 votes)", output);
    }
}
