using System.Text.Json;
using System.Text.Json.Nodes;
using ActorBackup.Cli;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Recovery.Tests.FromCluster;

/// <summary>
/// A backup node that serves forged votes (<see cref="ForgingAdminProxy"/>): restore and export with
/// <c>--federation-keys</c> check every record themselves, read the shard from the honest replica instead, and write only
/// genuine votes; without it, the forgeries reach the restored database, which is what the option is for.
/// </summary>
public sealed class HostileNodeSpec(BackupClusterFixture cluster) : IClassFixture<BackupClusterFixture>
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Program.RunAsync(args, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private async Task<Dictionary<string, string>> SignaturesIn(string db)
    {
        await using var connection = await Connection.ConnectAsync(new ConnectionOptions { Host = cluster.Target.Host, Port = cluster.Target.Port });
        var all = await R.Db(db).Table("votes").RunAtomAsync(connection);
        return all.EnumerateArray().ToDictionary(v => v.GetProperty("id").GetString()!, v => v.GetProperty("signature").GetString()!);
    }

    private Dictionary<string, string> GenuineSignatures() =>
        cluster.Written.Where(d => d.Table == "votes").ToDictionary(d => d.Id, d => JsonNode.Parse(d.Json)!["signature"]!.GetValue<string>());

    [Fact]
    public async Task Restore_with_the_federations_keys_reads_past_a_node_serving_forged_votes_and_writes_only_genuine_ones()
    {
        await cluster.AwaitCapturedAsync();
        await using var hostile = new ForgingAdminProxy(cluster.Nodes[0].AdminUrl);

        // Every record written so far: both replicas of every shard hold it (the restorable point may be held by one only).
        var at = cluster.Written.Max(d => d.Timestamp).ToString();
        var checkedRun = await Run("restore", "--admin", hostile.Url, "--at", at, "--to", cluster.Target.Endpoint, "--db", "hostile_checked",
            "--federation-keys", cluster.KeysFile);

        Assert.True(checkedRun.Code == 0, checkedRun.Out + checkedRun.Err);
        Assert.NotEmpty(hostile.Forged);
        Assert.Contains($"which fails verification against the federation's keys", checkedRun.Out);
        Assert.Contains("trying the next replica", checkedRun.Out);
        Assert.Matches(@"ids and signatures of \d+ blocks and votes checked against the federation's keys\n", checkedRun.Out);
        var genuine = GenuineSignatures();
        var restored = await SignaturesIn("hostile_checked");
        Assert.Equal(genuine.Count, restored.Count);
        Assert.All(restored, v => Assert.Equal(genuine[v.Key], v.Value));

        var trusting = await Run("restore", "--admin", hostile.Url, "--at", at, "--to", cluster.Target.Endpoint, "--db", "hostile_trusted");

        Assert.True(trusting.Code == 0, trusting.Out + trusting.Err);
        Assert.Contains("note: records are taken as the backup nodes serve them; --federation-keys FILE checks every id and signature here", trusting.Out);
        var trusted = await SignaturesIn("hostile_trusted");
        Assert.Contains(trusted, v => v.Value != genuine[v.Key]);
    }

    [Fact]
    public async Task Export_with_the_federations_keys_refuses_to_write_a_forgery_when_every_replica_serves_one()
    {
        await cluster.AwaitCapturedAsync();
        var proxies = ForgingAdminProxy.InFrontOf(cluster.Nodes[0].AdminUrl, cluster.Nodes[1].AdminUrl);
        var archive = Path.Combine(Path.GetTempPath(), $"{Guid.NewGuid():N}.tar.gz");
        try
        {
            var run = await Run("export", "--admin", proxies[0].Url, "--at", cluster.Written.Max(d => d.Timestamp).ToString(), "--out", archive,
                "--tables", "votes", "--federation-keys", cluster.KeysFile);

            Assert.Equal(1, run.Code);
            Assert.Contains("every replica failed", run.Err);
            Assert.Contains("fails verification", run.Err);
            Assert.Equal(1, run.Err.Count(c => c == '\n'));
            Assert.False(File.Exists(archive));
        }
        finally
        {
            foreach (var proxy in proxies) await proxy.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_key_file_that_cannot_be_read_or_one_given_with_an_archive_is_one_line_and_nothing_is_written()
    {
        var missing = await Run("restore", "--admin", "http://127.0.0.1:1", "--to", cluster.Target.Endpoint, "--db", "never",
            "--federation-keys", "/nonexistent/keys.json");
        Assert.Equal(1, missing.Code);
        Assert.StartsWith("actorbackup restore: error: Cannot read the federation key file /nonexistent/keys.json", missing.Err);
        Assert.Equal(1, missing.Err.Count(c => c == '\n'));

        var archive = await Run("restore", "--from-archive", "x.tar.gz", "--to", cluster.Target.Endpoint, "--federation-keys", cluster.KeysFile);
        Assert.Equal(2, archive.Code);
        Assert.Contains("--federation-keys goes with --admin only", archive.Err);
    }
}
