using System.Text;
using ActorBackup.Cli;
using ActorBackup.Recovery.Archive;
using ActorBackup.Sandbox;

namespace ActorBackup.Recovery.Tests.Dump;

/// <summary>`actorbackup dump` end to end against a real reqlite, through Program.RunAsync as an operator runs it.</summary>
public class DumpVerbTests(DumpSourceFixture source) : IClassFixture<DumpSourceFixture>
{
    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var code = await Program.RunAsync(args, output, error, deadline.Token);
        return (code, output.ToString(), error.ToString().TrimEnd());
    }

    private async Task AssertArchiveMatchesSourceAsync(string path, params string[] tables)
    {
        var reader = DumpArchiveReader.Open(path);
        Assert.Equal(tables.Order(StringComparer.Ordinal), reader.Tables.Select(t => t.Info.Name).Order(StringComparer.Ordinal));
        var archived = reader.ReadDocuments()
            .GroupBy(d => d.Table.Info.Name)
            .ToDictionary(g => g.Key, g => g.Select(d => d.Document).ToList());
        foreach (var table in tables)
        {
            var pk = DumpSourceFixture.PrimaryKeys[table];
            var expected = await source.SourceRowsAsync(table);
            var rows = archived.GetValueOrDefault(table) ?? [];
            var info = reader.Tables.Single(t => t.Info.Name == table).Info;
            Assert.Equal(pk, info.PrimaryKey);
            Assert.Equal(expected.Count, rows.Count);
            var keys = rows.Select(r => r.GetProperty(pk).GetRawText()).ToList();
            Assert.Equal(keys.Count, keys.Distinct().Count());
            foreach (var row in rows)
                Assert.Equal(expected[row.GetProperty(pk).GetRawText()], PythonJson.Format(Encoding.UTF8.GetBytes(row.GetRawText())));
        }
    }

    [Fact]
    public async Task Every_table_of_the_database_is_dumped_with_every_document_equal_to_the_source()
    {
        using var dir = new TempDir();
        var archive = dir.File("bigchain.tar.gz");

        var (code, output, error) = await RunAsync("dump", "--source", source.Server.Endpoint, "--db", "bigchain", "--out", archive);

        Assert.True(code == 0, error);
        Assert.Contains($"dumped 3 tables, 3700 documents of bigchain to {archive}", output);
        Assert.Contains("bigchain.votes: 1200 documents", output);
        await AssertArchiveMatchesSourceAsync(archive, "bigchain", "votes", "backlog");
        Assert.Equal(["bigchain.tar.gz"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public async Task The_info_keeps_the_secondary_index_as_the_source_reported_it()
    {
        using var dir = new TempDir();
        var archive = dir.File("b.tar.gz");

        var (code, _, error) = await RunAsync("dump", "--source", source.Server.Endpoint, "--tables", "bigchain", "--out", archive);

        Assert.True(code == 0, error);
        var info = DumpArchiveReader.Open(archive).Tables.Single().Info;
        Assert.Equal("block_timestamp", info.Indexes.Single().GetProperty("index").GetString());
        Assert.Null(info.WriteHook);
    }

    [Fact]
    public async Task A_connection_dropped_during_a_table_read_is_resumed_after_the_last_row_written_without_duplicates()
    {
        using var dir = new TempDir();
        await using var proxy = new CuttingProxy(source.Server.Host, source.Server.Port);
        var archive = dir.File("resumed.tar.gz");
        // A page of 1,000 blocks is about 500 kB: the cut falls inside the second page.
        proxy.CutOnceAfterServerBytes(700_000);

        var (code, output, error) = await RunAsync("dump", "--source", proxy.Endpoint, "--tables", "bigchain", "--out", archive);

        Assert.True(code == 0, error);
        Assert.Equal(1, proxy.Cuts);
        Assert.Contains("dumped 1 tables, 2500 documents", output);
        await AssertArchiveMatchesSourceAsync(archive, "bigchain");
    }

    [Fact]
    public async Task An_existing_out_file_is_refused_without_overwrite_and_replaced_with_it()
    {
        using var dir = new TempDir();
        var archive = dir.File("exists.tar.gz");
        await File.WriteAllTextAsync(archive, "keep me");

        var refused = await RunAsync("dump", "--source", source.Server.Endpoint, "--tables", "votes", "--out", archive);
        var kept = await File.ReadAllTextAsync(archive);
        var replaced = await RunAsync("dump", "--source", source.Server.Endpoint, "--tables", "votes", "--out", archive, "--overwrite");

        Assert.Equal(2, refused.Code);
        Assert.Equal($"actorbackup dump: error: {archive} already exists (hint: pass --overwrite to replace it)", refused.Error);
        Assert.Equal("keep me", kept);
        Assert.True(replaced.Code == 0, replaced.Error);
        await AssertArchiveMatchesSourceAsync(archive, "votes");
    }

    [Fact]
    public async Task A_source_that_is_not_host_and_port_is_refused()
    {
        var (code, _, error) = await RunAsync("dump", "--source", "rethinkdb-1", "--out", "x.tar.gz");

        Assert.Equal(2, code);
        Assert.Equal("actorbackup dump: error: --source must be HOST:PORT with a port from 1 to 65535 (got 'rethinkdb-1') (hint: see `actorbackup dump --help`)", error);
    }

    [Fact]
    public async Task An_unreachable_source_fails_with_one_line_and_leaves_no_file()
    {
        using var dir = new TempDir();
        var port = FreePort.Next();

        var (code, _, error) = await RunAsync("dump", "--source", $"127.0.0.1:{port}", "--out", dir.File("x.tar.gz"));

        Assert.Equal(1, code);
        Assert.StartsWith($"actorbackup dump: error: cannot reach 127.0.0.1:{port}: Could not connect to 127.0.0.1:{port}", error);
        Assert.DoesNotContain('\n', error);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task A_table_missing_from_the_source_is_named()
    {
        using var dir = new TempDir();

        var (code, _, error) = await RunAsync("dump", "--source", source.Server.Endpoint, "--tables", "nope", "--out", dir.File("x.tar.gz"));

        Assert.Equal(1, code);
        Assert.Equal("actorbackup dump: error: no table bigchain.nope on the source", error);
    }
}
