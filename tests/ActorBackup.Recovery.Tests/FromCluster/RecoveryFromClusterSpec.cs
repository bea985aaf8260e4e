using System.Text.Json;
using System.Text.Json.Nodes;
using ActorBackup.Cli;
using ActorBackup.Recovery.Archive;
using ActorBackup.Recovery.FromCluster;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Recovery.Tests.FromCluster;

/// <summary>Restore, export and verify read a real two-node backup cluster over its admin endpoints.</summary>
public sealed class RecoveryFromClusterSpec(BackupClusterFixture cluster) : IClassFixture<BackupClusterFixture>
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Program.RunAsync(args, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>The source's documents with a timestamp up to T, by table, each as a JSON node.</summary>
    private Dictionary<string, Dictionary<string, JsonNode>> ExpectedAt(long at) =>
        cluster.Written.Where(d => d.Timestamp <= at).GroupBy(d => d.Table)
            .ToDictionary(g => g.Key, g => g.ToDictionary(d => d.Id, d => JsonNode.Parse(d.Json)!));

    private static void AssertSame(Dictionary<string, JsonNode> expected, IEnumerable<JsonElement> actual)
    {
        var got = actual.Select(e => JsonNode.Parse(e.GetRawText())!).ToDictionary(n => n["id"]!.GetValue<string>());
        Assert.Equal(expected.Keys.Order(), got.Keys.Order());
        Assert.All(expected, kv => Assert.True(JsonNode.DeepEquals(kv.Value, got[kv.Key]), $"document {kv.Key} differs"));
    }

    private async Task<List<JsonElement>> TargetTable(string db, string table)
    {
        await using var connection = await Connection.ConnectAsync(new ConnectionOptions { Host = cluster.Target.Host, Port = cluster.Target.Port });
        var all = await R.Db(db).Table(table).RunAtomAsync(connection);
        return [.. all.EnumerateArray().Select(e => e.Clone())];
    }

    [Fact]
    public async Task Restore_export_and_verify_give_exactly_the_ledger_at_T_and_verify_finds_a_vote_for_a_block_the_source_never_had()
    {
        await cluster.AwaitCapturedAsync();
        var admin = cluster.Nodes[0].AdminUrl;
        var at = cluster.Written[cluster.Written.Count / 2].Timestamp;
        var expected = ExpectedAt(at);

        var restore = await Run("restore", "--admin", admin, "--at", at.ToString(), "--to", cluster.Target.Endpoint, "--db", "restored");
        Assert.True(restore.Code == 0, restore.Err + restore.Out);
        foreach (var table in new[] { "bigchain", "votes" })
            AssertSame(expected[table], await TargetTable("restored", table));

        var file = Path.Combine(Path.GetTempPath(), $"actorbackup-export-{Guid.NewGuid():N}.tar.gz");
        try
        {
            var export = await Run("export", "--admin", admin, "--at", at.ToString(), "--out", file);
            Assert.True(export.Code == 0, export.Err + export.Out);
            var archive = DumpArchiveReader.Open(file);
            Assert.All(archive.Tables, t => Assert.Equal("id", t.Info.PrimaryKey));
            Assert.All(archive.Tables, t => Assert.NotNull(t.Info.SourceInfo));
            var documents = archive.ReadDocuments().ToList();
            foreach (var table in new[] { "bigchain", "votes" })
                AssertSame(expected[table], documents.Where(d => d.Table.Info.Name == table).Select(d => d.Document));

            var again = await Run("export", "--admin", admin, "--out", file);
            Assert.Equal(2, again.Code);
            Assert.Equal($"actorbackup export: error: {file} already exists (hint: --overwrite to replace it)\n", again.Err);
        }
        finally
        {
            File.Delete(file);
        }

        var healthy = await Run("verify", "--admin", admin);
        Assert.True(healthy.Code == 0, healthy.Out + healthy.Err);
        Assert.Contains("verify: ok", healthy.Out);

        // The next rounds go to the source without one of their blocks: its votes point at a block it never had.
        var next = cluster.Ledger.Next(3);
        var dropped = next.First(d => d.Table == "bigchain");
        cluster.Written.AddRange(next);
        cluster.Written.Remove(dropped);
        await cluster.Source.InsertAsync(next.Where(d => d != dropped));
        await cluster.AwaitCapturedAsync();
        var broken = await Run("verify", "--admin", admin);
        Assert.Equal(3, broken.Code);
        Assert.Contains($"MissingBlock block={dropped.Id}", broken.Out);
    }

    [Fact]
    public async Task A_shard_whose_preferred_replica_does_not_answer_is_read_whole_from_the_other_replica()
    {
        await cluster.AwaitCapturedAsync();
        using var http = new HttpClient();
        var status = (await ClusterBackupSource.ConnectAsync(http, cluster.Nodes[0].AdminUrl, null, CancellationToken.None)).Status;
        // Node 0's endpoint is published at an address where nothing listens: every shard starts there and fails over.
        const string dead = "http://127.0.0.1:1/";
        var address = cluster.Nodes[0].Address;
        var moved = status with { Members = [.. status.Members.Select(m => m.Address == address ? m with { AdminUrl = dead } : m)] };
        var warnings = new List<string>();
        var source = ClusterBackupSource.Over(http, dead, moved, warnings.Add);
        var at = source.ResolvePoint(cluster.Written.Max(d => d.Timestamp), false);
        var expected = ExpectedAt(at);
        foreach (var table in new[] { "bigchain", "votes" })
        {
            var documents = new List<JsonElement>();
            await foreach (var document in source.Documents(table, at))
                documents.Add(document);
            AssertSame(expected[table], documents);
        }
        Assert.Contains(warnings, w => w.Contains("trying the next replica"));
    }

    [Fact]
    public async Task Bad_input_gets_one_line_each()
    {
        var badAt = await Run("restore", "--admin", "http://127.0.0.1:1", "--at", "yesterday", "--to", "127.0.0.1:28015");
        Assert.Equal(2, badAt.Code);
        Assert.StartsWith("actorbackup restore: error: --at must be Unix seconds or an ISO 8601 time", badAt.Err);

        var both = await Run("restore", "--admin", "http://127.0.0.1:1", "--from-archive", "x.tar.gz", "--to", "127.0.0.1:28015");
        Assert.Equal(2, both.Code);
        Assert.Contains("give exactly one of --admin", both.Err);

        var unreachable = await Run("verify", "--admin", "http://127.0.0.1:1");
        Assert.Equal(1, unreachable.Code);
        Assert.StartsWith("actorbackup verify: error: cannot read the status from http://127.0.0.1:1/:", unreachable.Err);
        Assert.Equal(1, unreachable.Err.Count(c => c == '\n'));

        await cluster.AwaitCapturedAsync();
        var admin = cluster.Nodes[^1].AdminUrl;
        var unknown = await Run("export", "--admin", admin, "--tables", "nope", "--out", Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.tar.gz"));
        Assert.Equal(1, unknown.Code);
        Assert.StartsWith("actorbackup export: error: the backup has no table nope", unknown.Err);

        var future = await Run("restore", "--admin", admin, "--at", (BackupClusterFixture.WallNow + 3600).ToString(), "--to", cluster.Target.Endpoint);
        Assert.Equal(1, future.Code);
        Assert.Contains("is after the restorable point", future.Err);
        Assert.Equal(1, future.Err.Count(c => c == '\n'));
    }
}
