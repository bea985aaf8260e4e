using System.Text.Json;
using ActorBackup.Cli;
using ActorBackup.Ledger.Json;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Recovery.Tests.Restore;

/// <summary>`actorbackup restore --from-archive` end to end into a real reqlite, through Program.RunAsync.</summary>
public class RestoreVerbTests(RestoreTargetFixture target) : IClassFixture<RestoreTargetFixture>
{
    private static readonly RunOptions Raw = new() { TimeFormat = "raw", BinaryFormat = "raw" };

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var code = await Program.RunAsync(args, output, error, deadline.Token);
        return (code, output.ToString(), error.ToString().TrimEnd());
    }

    private string[] Restore(string db, params string[] more) =>
        ["restore", "--from-archive", target.Archive.Path, "--to", target.Server.Endpoint, "--db", db, .. more];

    /// <summary>Each document of a target table in canonical JSON (sorted keys, compact, numbers as written).</summary>
    private async Task<List<string>> TargetRowsAsync(string db, string table)
    {
        var rows = new List<string>();
        await using var cursor = await R.Db(db).Table(table).RunCursorAsync(target.Connection, Raw);
        await foreach (var row in cursor)
            rows.Add(System.Text.Encoding.UTF8.GetString(CanonicalJson.ToBytes(row)));
        return rows;
    }

    private static List<string> Canonical(IEnumerable<byte[]> documents) =>
        documents.Select(d => System.Text.Encoding.UTF8.GetString(CanonicalJson.ToBytes(JsonElement.Parse(d)))).ToList();

    private async Task<bool> DatabaseExistsAsync(string db) =>
        (await R.DbList().RunAtomAsync(target.Connection)).EnumerateArray().Any(d => d.GetString() == db);

    [Fact]
    public async Task Every_table_is_restored_into_a_fresh_database_with_every_document_equal_and_no_other()
    {
        var (code, output, error) = await RunAsync(Restore("fresh"));

        Assert.True(code == 0, error);
        var total = target.Archive.Rows.Values.Sum(r => r.Count);
        Assert.Contains($"restored {total} documents in 3 tables into fresh on {target.Server.Endpoint}; counts and digests verified", output);
        foreach (var (table, rows) in target.Archive.Rows)
        {
            var expected = Canonical(rows.Select(r => r.Json)).Order(StringComparer.Ordinal);
            Assert.Equal(expected, (await TargetRowsAsync("fresh", table)).Order(StringComparer.Ordinal));
        }
        Assert.Equal(["backlog", "bigchain", "votes"],
            (await R.Db("fresh").TableList().RunAtomAsync(target.Connection)).EnumerateArray().Select(t => t.GetString()).Order());
    }

    [Fact]
    public async Task The_secondary_indexes_exist_afterwards_and_an_unknown_one_is_a_warning()
    {
        var (code, output, error) = await RunAsync(Restore("indexed"));

        Assert.True(code == 0, error);
        async Task<IEnumerable<string?>> IndexesAsync(string table) =>
            (await R.Db("indexed").Table(table).IndexList().RunAtomAsync(target.Connection)).EnumerateArray().Select(i => i.GetString()).Order();
        Assert.Equal(["asset_id", "block_timestamp", "inputs", "outputs", "transaction_id"], await IndexesAsync("bigchain"));
        Assert.Equal(["block_and_voter"], await IndexesAsync("votes"));
        Assert.Equal(["assignee__transaction_timestamp"], await IndexesAsync("backlog"));
        Assert.Contains("warning: indexed.votes: index by_signature not created: the source gave no usable function and BigchainDB 0.10 has no index of that name", output);
        var block = JsonElement.Parse(target.Archive.Rows["bigchain"][5].Json);
        var txId = block.GetProperty("block").GetProperty("transactions")[0].GetProperty("id").GetString();
        var found = await R.Db("indexed").Table("bigchain").GetAll(txId)[new { index = "transaction_id" }].RunAtomAsync(target.Connection);
        Assert.Equal(block.GetProperty("id").GetString(), found.EnumerateArray().Single().GetProperty("id").GetString());
    }

    [Fact]
    public async Task Restoring_at_a_time_in_the_middle_keeps_exactly_the_blocks_and_votes_up_to_that_time()
    {
        var blocks = target.Archive.Rows["bigchain"];
        var at = blocks[blocks.Count / 2].Timestamp;

        var (code, output, error) = await RunAsync(Restore("midway", "--at", at.ToString()));

        Assert.True(code == 0, error);
        Assert.Contains($"as of {DateTimeOffset.FromUnixTimeSeconds(at).UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}", output);
        foreach (var (table, rows) in target.Archive.Rows)
        {
            var kept = rows.Where(r => table == "backlog" || r.Timestamp <= at).Select(r => r.Json).ToList();
            Assert.InRange(kept.Count, 1, table == "backlog" ? rows.Count : rows.Count - 1);
            Assert.Equal(Canonical(kept).Order(StringComparer.Ordinal), (await TargetRowsAsync("midway", table)).Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task At_as_an_iso_8601_time_means_the_same_instant_as_unix_seconds()
    {
        var blocks = target.Archive.Rows["bigchain"];
        var at = blocks[10].Timestamp;
        var iso = DateTimeOffset.FromUnixTimeSeconds(at).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

        var (code, _, error) = await RunAsync(Restore("iso", "--at", iso, "--tables", "bigchain"));

        Assert.True(code == 0, error);
        Assert.Equal(blocks.Count(b => b.Timestamp <= at), (await TargetRowsAsync("iso", "bigchain")).Count);
    }

    [Fact]
    public async Task A_database_that_holds_documents_is_refused_without_force_and_restored_into_with_it()
    {
        Assert.Equal(0, (await RunAsync(Restore("twice", "--tables", "votes"))).Code);
        var votes = target.Archive.Rows["votes"].Count;

        var refused = await RunAsync(Restore("twice"));

        Assert.Equal(1, refused.Code);
        Assert.Equal($"actorbackup restore: error: database twice on {target.Server.Endpoint} already holds {votes} documents; restoring into it needs --force (rows with the same primary key are then replaced)", refused.Error);
        var forced = await RunAsync(Restore("twice", "--force"));
        Assert.True(forced.Code == 0, forced.Error);
        Assert.Equal(target.Archive.Rows["bigchain"].Count, (await TargetRowsAsync("twice", "bigchain")).Count);
        Assert.Equal(votes, (await TargetRowsAsync("twice", "votes")).Count);
    }

    [Fact]
    public async Task A_dry_run_reports_what_it_would_restore_and_writes_nothing()
    {
        var (code, output, error) = await RunAsync(Restore("dry", "--dry-run"));

        Assert.True(code == 0, error);
        Assert.Contains($"dry run: would create database dry on {target.Server.Endpoint}", output);
        Assert.Contains($"  votes: {target.Archive.Rows["votes"].Count} documents", output);
        Assert.Contains("primary key id, indexes: block_and_voter, by_signature", output);
        Assert.Contains("nothing was written", output);
        Assert.False(await DatabaseExistsAsync("dry"));
    }

    [Fact]
    public async Task A_target_that_ends_up_holding_more_than_was_restored_fails_verification_with_exit_code_3()
    {
        await R.DbCreate("extra").RunAtomAsync(target.Connection);
        await R.Db("extra").TableCreate("backlog").RunAtomAsync(target.Connection);
        await R.Db("extra").Table("backlog").Insert(JsonElement.Parse("""{"id":"not-in-the-archive"}""")).RunWriteAsync(target.Connection);

        var (code, _, error) = await RunAsync(Restore("extra", "--force", "--tables", "backlog"));

        Assert.Equal(3, code);
        var restored = target.Archive.Rows["backlog"].Count;
        Assert.Equal($"actorbackup restore: error: verification failed: extra.backlog: the target holds {restored + 1} documents, {restored} were restored", error);
    }

    [Fact]
    public async Task Bad_input_gets_a_one_line_usage_error()
    {
        var (badAt, _, atError) = await RunAsync(Restore("bad", "--at", "yesterday"));
        var (badTable, _, tableError) = await RunAsync(Restore("bad", "--tables", "nope"));
        var (missing, _, missingError) = await RunAsync("restore", "--from-archive", Path.Combine(target.TempPath, "none.tar.gz"), "--to", target.Server.Endpoint);

        Assert.Equal(2, badAt);
        Assert.Equal("actorbackup restore: error: --at must be Unix seconds or an ISO 8601 time such as 2017-07-14T12:00:00Z (got 'yesterday') (hint: see `actorbackup restore --help`)", atError);
        Assert.Equal(2, badTable);
        Assert.StartsWith("actorbackup restore: error: no table nope in ", tableError);
        Assert.EndsWith("(it holds bigchain, votes, backlog)", tableError);
        Assert.Equal(1, missing);
        Assert.StartsWith("actorbackup restore: error: ", missingError);
        Assert.Contains("none.tar.gz: cannot open", missingError);
        Assert.DoesNotContain('\n', atError + tableError + missingError);
    }
}
