using System.Runtime.CompilerServices;
using System.Text.Json;
using ActorBackup.Recovery.Archive;
using ActorBackup.Recovery.Restore;
using ActorBackup.Recovery.Verification;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;
using ActorBackup.Sandbox;

namespace ActorBackup.Recovery.Tests.Restore;

/// <summary>The engine used directly, against the same real reqlite as the verb tests.</summary>
public class RestoreEngineTests(RestoreTargetFixture target) : IClassFixture<RestoreTargetFixture>
{
    private ConnectionOptions Target => new() { Host = target.Server.Host, Port = target.Server.Port };

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Utf8(IEnumerable<string> documents, [EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var document in documents)
        {
            ct.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return System.Text.Encoding.UTF8.GetBytes(document);
        }
    }

    private static RestoreTable Table(string name, int count, string pk = "id") =>
        RestoreTable.FromUtf8(new TableInfo("x", name, pk, []), Utf8(Enumerable.Range(0, count).Select(i => $$"""{"{{pk}}":"k{{i}}","n":{{i}}.0}""")));

    [Fact]
    public async Task Small_batches_over_several_writers_restore_every_document_and_report_progress_per_table()
    {
        var reports = new List<RestoreProgress>();
        var progress = new SynchronousProgress(p => { lock (reports) reports.Add(p); });
        var engine = new RestoreEngine(Target, new RestoreOptions { Writers = 3, BatchRows = 7, BatchBytes = 200, QueuedBatches = 2 }, progress);

        var report = await engine.RunAsync("engine_small", [Table("a", 250), Table("b", 0), Table("c", 31, pk: "key")]);

        Assert.True(report.Verified, report.FirstProblem);
        Assert.Equal([250L, 0L, 31L], report.Tables.Select(t => t.Documents));
        Assert.All(report.Tables, t => Assert.True(t.Verification!.IsMatch));
        Assert.Equal(250, reports.Where(r => r.Table == "a" && r.Phase == RestorePhase.Writing).Max(r => r.Documents));
        Assert.Contains(reports, r => r.Table == "c" && r.Phase == RestorePhase.Verified && r.Documents == 31 && r.Bytes > 0);
        Assert.Equal("key", (await R.Db("engine_small").Table("c").Info().RunAtomAsync(target.Connection)).GetProperty("primary_key").GetString());
    }

    [Fact]
    public async Task A_connection_cut_after_an_insert_landed_is_retried_and_the_rows_already_there_are_accepted_as_identical()
    {
        await using var proxy = new Dump.CuttingProxy(target.Server.Host, target.Server.Port);
        // About 15 insert results into the writer's connection; the admin connection is idle by then.
        proxy.CutOnceAfterServerBytes(2000);
        var options = new RestoreOptions { Writers = 1, BatchRows = 10, RetryDelay = TimeSpan.FromMilliseconds(10) };
        var (host, port) = (proxy.Endpoint.Split(':')[0], int.Parse(proxy.Endpoint.Split(':')[1]));

        var report = await new RestoreEngine(new ConnectionOptions { Host = host, Port = port }, options).RunAsync("engine_cut", [Table("t", 400)]);

        Assert.Equal(1, proxy.Cuts);
        Assert.True(report.Verified, report.FirstProblem);
        Assert.Equal(400, report.Tables.Single().Documents);
    }

    [Fact]
    public async Task An_index_blob_the_target_refuses_falls_back_to_the_bigchaindb_definition_of_that_name()
    {
        // reqlite refuses BINARY index functions ("Expected type FUNCTION but found DATUM").
        var indexes = JsonElement.Parse("""
            [{"index":"block_and_voter","function":{"$reql_type$":"BINARY","data":"JHJlcWxfaW5kZXhfZnVuY3Rpb24k"},"multi":false}]
            """).EnumerateArray().ToArray();
        var votes = RestoreTable.FromUtf8(new TableInfo("x", "votes", "id", [.. indexes]),
            Utf8(["""{"id":"v1","node_pubkey":"K1","vote":{"voting_for_block":"b1"}}"""]));

        var report = await new RestoreEngine(Target).RunAsync("engine_blob", [votes]);

        Assert.Empty(report.Warnings);
        Assert.Equal(["block_and_voter"], report.Tables.Single().Indexes);
        var found = await R.Db("engine_blob").Table("votes").GetAll(R.Array("b1", "K1"))[new { index = "block_and_voter" }].RunAtomAsync(target.Connection);
        Assert.Equal("v1", found.EnumerateArray().Single().GetProperty("id").GetString());
    }

    [Fact]
    public async Task Verifying_against_a_wrong_expected_digest_reports_the_difference()
    {
        var report = await new RestoreEngine(Target).RunAsync("engine_digest", [Table("t", 20)]);
        var restored = report.Tables.Single().Verification!;

        var wrong = await TableVerifier.VerifyAsync(target.Connection, "engine_digest", "t", 20,
            restored.ExpectedDigest + TableDigest.Of(JsonElement.Parse("""{"id":"ghost"}""")), CancellationToken.None);

        Assert.True(restored.IsMatch);
        Assert.False(wrong.IsMatch);
        Assert.StartsWith("engine_digest.t: the 20 documents in the target differ from those restored (digest ", wrong.Problem);
    }

    [Fact]
    public async Task A_document_without_its_primary_key_stops_the_restore_with_one_line()
    {
        var table = RestoreTable.FromUtf8(new TableInfo("x", "t", "id", []), Utf8(["""{"id":"a"}""", """{"other":"b"}"""]));

        var e = await Assert.ThrowsAsync<RestoreException>(() => new RestoreEngine(Target).RunAsync("engine_nokey", [table]));

        Assert.Equal("document 2 of t is not an object with its primary key `id`", e.Message);
    }

    [Fact]
    public async Task Two_documents_with_the_same_primary_key_are_refused_naming_the_table()
    {
        var table = RestoreTable.FromUtf8(new TableInfo("x", "t", "id", []), Utf8(["""{"id":"a","v":1}""", """{"id":"a","v":2}"""]));

        var e = await Assert.ThrowsAsync<RestoreException>(() => new RestoreEngine(Target).RunAsync("engine_dup", [table]));

        Assert.StartsWith("writing to engine_dup.t: 1 of 2 documents refused: Duplicate primary key", e.Message);
    }

    [Fact]
    public async Task An_unreachable_target_is_one_line_naming_it()
    {
        var port = FreePort.Next();

        var e = await Assert.ThrowsAsync<RestoreException>(() =>
            new RestoreEngine(new ConnectionOptions { Host = "127.0.0.1", Port = port }).RunAsync("x", [Table("t", 1)]));

        Assert.StartsWith($"cannot reach the target 127.0.0.1:{port}: ", e.Message);
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post them to the thread pool, out of order).</summary>
    private sealed class SynchronousProgress(Action<RestoreProgress> report) : IProgress<RestoreProgress>
    {
        public void Report(RestoreProgress value) => report(value);
    }
}
