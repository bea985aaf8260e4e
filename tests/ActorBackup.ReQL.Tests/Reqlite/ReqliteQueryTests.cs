using System.Text.Json;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;
using static ActorBackup.ReQL.Tests.Reqlite.Queries;

namespace ActorBackup.ReQL.Tests.Reqlite;

/// <summary>Queries, writes and cursors against a real reqlite.</summary>
public class ReqliteQueryTests(ReqliteFixture reqlite) : IClassFixture<ReqliteFixture>
{
    private readonly Connection _conn = reqlite.Connection;

    private static CancellationToken Deadline(int seconds = 30) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    private async Task CreateTableAsync(string db, string table)
    {
        if (!(await new RawTerm("[59,[]]").RunAtomAsync(_conn)).EnumerateArray().Any(d => d.GetString() == db))
            await DbCreate(db).RunAtomAsync(_conn);
        await TableCreate(db, table).RunAtomAsync(_conn);
    }

    private static string Doc(int id, string extra = "") => $$"""{"id":{{id}},"name":"doc-{{id}}","score":{{id * 0.5}}{{extra}}}""";

    [Fact]
    public async Task A_database_tables_and_a_secondary_index_can_be_created()
    {
        await CreateTableAsync("schema", "votes");
        await TableCreate("schema", "blocks").RunAtomAsync(_conn);
        var created = await IndexCreate("schema", "votes", "block_id").RunAtomAsync(_conn);
        await IndexWait("schema", "votes").RunAtomAsync(_conn);

        Assert.Equal(1, created.GetProperty("created").GetInt32());
        var tables = (await TableList("schema").RunAtomAsync(_conn)).EnumerateArray().Select(t => t.GetString()).Order();
        Assert.Equal(["blocks", "votes"], tables);
        var indexes = await new RawTerm($"[77,[{Table("schema", "votes")}]]").RunAtomAsync(_conn);
        Assert.Contains("block_id", indexes.EnumerateArray().Select(i => i.GetString()));
    }

    [Fact]
    public async Task Ten_thousand_inserted_documents_read_back_by_cursor_are_equal()
    {
        await CreateTableAsync("bulk", "docs");
        var expected = new Dictionary<int, JsonElement>();
        for (var start = 0; start < 10_000; start += 1000)
        {
            var docs = Enumerable.Range(start, 1000).Select(i => Doc(i, $$""","nested":{"k":"v{{i}}","b":{{(i % 2 == 0 ? "true" : "false")}}}""")).ToList();
            foreach (var d in docs)
            {
                var e = JsonDocument.Parse(d).RootElement;
                expected[e.GetProperty("id").GetInt32()] = e;
            }
            var result = await Insert("bulk", "docs", docs).RunWriteAsync(_conn, Deadline());
            Assert.Equal(1000, result.Inserted);
            Assert.Equal(0, result.Errors);
        }

        var seen = new Dictionary<int, JsonElement>();
        await using (var cursor = await ReadAll("bulk", "docs").RunCursorAsync(_conn, Deadline()))
            await foreach (var doc in cursor)
                seen.Add(doc.GetProperty("id").GetInt32(), doc);

        Assert.Equal(10_000, seen.Count);
        Assert.All(expected, e => Assert.True(JsonElement.DeepEquals(e.Value, seen[e.Key]), $"document {e.Key} differs"));
    }

    [Fact]
    public async Task Between_on_the_primary_key_returns_exactly_its_range()
    {
        await CreateTableAsync("ranges", "items");
        await Insert("ranges", "items", Enumerable.Range(0, 100).Select(i => Doc(i))).RunWriteAsync(_conn);

        async Task<List<int>> IdsAsync(string term)
        {
            var ids = new List<int>();
            await using var cursor = await new RawTerm(term).RunCursorAsync(_conn, Deadline());
            await foreach (var doc in cursor)
                ids.Add(doc.GetProperty("id").GetInt32());
            return ids.Order().ToList();
        }

        Assert.Equal(Enumerable.Range(10, 10), await IdsAsync(Between("ranges", "items", "10", "20")));
        Assert.Equal(Enumerable.Range(11, 10), await IdsAsync(Between("ranges", "items", "10", "20", """{"left_bound":"open","right_bound":"closed"}""")));
        Assert.Equal(Enumerable.Range(95, 5), await IdsAsync(Between("ranges", "items", "95", "[181,[]]")));
        Assert.Equal(Enumerable.Range(0, 3), await IdsAsync(Between("ranges", "items", "[180,[]]", "3")));
    }

    [Fact]
    public async Task A_stream_in_partial_batches_is_read_in_order_through_continue_and_stopped_on_dispose()
    {
        var seen = new List<int>();
        await using (var cursor = await InfiniteRange.RunCursorAsync(_conn, Deadline()))
        {
            await foreach (var n in cursor)
            {
                seen.Add(n.GetInt32());
                if (seen.Count == 1000) break;
            }
        }

        Assert.Equal(Enumerable.Range(0, 1000), seen);
        Assert.Equal(0, _conn.PendingCount);
    }

    [Fact]
    public async Task A_write_result_reports_duplicates_and_generated_keys()
    {
        await CreateTableAsync("writes", "w");
        await Insert("writes", "w", [Doc(1)]).RunWriteAsync(_conn);

        var duplicate = await Insert("writes", "w", [Doc(1), Doc(2)]).RunWriteAsync(_conn);
        var generated = await Insert("writes", "w", ["""{"name":"no id"}"""]).RunWriteAsync(_conn);
        var deleted = await new RawTerm($"[54,[{Between("writes", "w", "1", "3")}]]").RunWriteAsync(_conn);

        Assert.Equal((1, 1), (duplicate.Inserted, duplicate.Errors));
        Assert.StartsWith("Duplicate primary key `id`", duplicate.FirstError);
        Assert.Equal(1, generated.Inserted);
        Assert.Single(generated.GeneratedKeys);
        Assert.Equal(2, deleted.Deleted);
    }

    [Fact]
    public async Task Insert_with_return_changes_lists_each_change()
    {
        await CreateTableAsync("changes", "c");

        var result = await new RawTerm($$"""[56,[{{Table("changes", "c")}},{{Doc(7)}}],{"return_changes":true}]""").RunWriteAsync(_conn);

        var change = Assert.Single(result.Changes);
        Assert.Null(change.OldValue);
        Assert.Equal(7, change.NewValue!.Value.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Server_info_noreply_and_noreply_wait_work()
    {
        await CreateTableAsync("noreply", "n");

        var info = await _conn.ServerInfoAsync(Deadline());
        await Insert("noreply", "n", [Doc(1), Doc(2), Doc(3)]).RunNoReplyAsync(_conn, Deadline());
        await _conn.NoReplyWaitAsync(Deadline());

        Assert.False(string.IsNullOrEmpty(info.Id));
        Assert.Equal(3, (await Count("noreply", "n").RunAtomAsync(_conn)).GetInt32());
    }

    [Fact]
    public async Task The_connection_db_and_global_optargs_reach_the_server()
    {
        await CreateTableAsync("defaultdb", "t");
        await using var withDb = await Connection.ConnectAsync(reqlite.Options with { Db = "defaultdb" });

        var tables = await new RawTerm("[62,[]]").RunAtomAsync(withDb);
        var viaOptions = await new RawTerm("[62,[]]").RunAtomAsync(_conn, new RunOptions { Db = "defaultdb", Durability = "soft" });

        Assert.Equal("""["t"]""", tables.GetRawText());
        Assert.Equal("""["t"]""", viaOptions.GetRawText());
    }

    [Fact]
    public async Task Many_queries_in_flight_on_one_connection_each_get_their_own_answer()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => new RawTerm($"[24,[{i},1000]]").RunAtomAsync(_conn)));

        Assert.Equal(Enumerable.Range(1000, 200), answers.Select(a => a.GetInt32()));
    }
}
