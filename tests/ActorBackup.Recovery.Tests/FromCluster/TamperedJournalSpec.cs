using System.Text;
using System.Text.Json.Nodes;
using ActorBackup.Cli;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Cluster.Sharding;
using ActorBackup.Cluster.Verification;
using ActorBackup.Ledger.Simulation;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;
using Akka.Actor;

namespace ActorBackup.Recovery.Tests.FromCluster;

/// <summary>
/// A vote altered after signing, written straight into the journal of every replica of its shard as if verified (as a
/// disk edit or a bug would leave it): restore and export read the journal back through the nodes, which verify it
/// again, so neither writes it and both say which record.
/// </summary>
public sealed class TamperedJournalSpec(BackupClusterFixture cluster) : IClassFixture<BackupClusterFixture>
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Program.RunAsync(args, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A genuine vote with its verdict flipped and a new id, stored as verified in every node's replica of its shard.</summary>
    private async Task<(string Id, long Timestamp)> TamperJournals()
    {
        var genuine = cluster.Written.First(d => d.Table == "votes" && d.Fault == SimulatedFault.None);
        var vote = JsonNode.Parse(genuine.Json)!.AsObject();
        var id = Guid.NewGuid().ToString();
        vote["id"] = id;
        vote["vote"]!["is_block_valid"] = !vote["vote"]!["is_block_valid"]!.GetValue<bool>();
        var record = new CapturedRecord("votes", id, genuine.Timestamp, Encoding.UTF8.GetBytes(vote.ToJsonString()), RecordVerdict.Verified);
        var replica = new ReplicaId("votes", new KeySpace(cluster.Nodes[0].Configuration.Settings.Shards).ShardOf(id));
        foreach (var node in cluster.Nodes)
        {
            var journal = node.System.ActorSelection(NodeActorPaths.JournalOf(Address.Parse(node.Address), replica));
            Assert.Equal(1, (await journal.Ask<RecordsStoredAck>(StoreRecords.Local(1, [record]), TimeSpan.FromSeconds(10))).Stored);
        }
        return (id, genuine.Timestamp);
    }

    [Fact]
    public async Task Restore_and_export_of_journals_holding_a_tampered_vote_refuse_it_and_name_it()
    {
        await cluster.AwaitCapturedAsync();
        var (id, timestamp) = await TamperJournals();
        var admin = cluster.Nodes[0].AdminUrl;
        var at = cluster.Written.Max(d => d.Timestamp);
        Assert.True(timestamp <= at);

        var file = Path.Combine(Path.GetTempPath(), $"actorbackup-export-{Guid.NewGuid():N}.tar.gz");
        var export = await Run("export", "--admin", admin, "--at", at.ToString(), "--out", file);
        Assert.Equal(1, export.Code);
        Assert.StartsWith("actorbackup export: error: ", export.Err);
        Assert.Contains($"as Verified record {id}: ", export.Err);
        Assert.Contains("(signature-mismatch): not served", export.Err);
        Assert.Equal(1, export.Err.Count(c => c == '\n'));
        Assert.False(File.Exists(file));

        var restore = await Run("restore", "--admin", admin, "--at", at.ToString(), "--to", cluster.Target.Endpoint, "--db", "tampered", "--tables", "votes");
        Assert.Equal(1, restore.Code);
        Assert.Contains($"as Verified record {id}: ", restore.Err);
        await using (var connection = await Connection.ConnectAsync(new ConnectionOptions { Host = cluster.Target.Host, Port = cluster.Target.Port }))
        {
            var databases = await R.DbList().RunAtomAsync(connection);
            if (databases.EnumerateArray().Any(d => d.GetString() == "tampered")
                && (await R.Db("tampered").TableList().RunAtomAsync(connection)).EnumerateArray().Any(t => t.GetString() == "votes"))
            {
                var restored = await R.Db("tampered").Table("votes").RunAtomAsync(connection);
                Assert.DoesNotContain(restored.EnumerateArray(), v => v.GetProperty("id").GetString() == id);
            }
        }

        foreach (var node in cluster.Nodes)
            Assert.True(RejectedRecords.Get(node.System).Of("journal", node.Address) >= 1, $"{node.Address} counted no refused journal record");
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(cluster.Nodes[0].AdminUrl + "metrics");
        Assert.Contains($"actorbackup_records_rejected_total{{source=\"journal\",sender=\"{cluster.Nodes[0].Address}\"}} ", metrics);
    }
}
