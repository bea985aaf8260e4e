using System.Text;
using ActorBackup.Recovery.FromCluster;

namespace ActorBackup.Recovery.Tests.FromCluster;

/// <summary>How one shard is read from its replicas in turn when one of them serves something it should not.</summary>
public sealed class ReadShardTests
{
    private static byte[] Line(string text) => Encoding.UTF8.GetBytes(text);

    private static ShardReplica Serving(string name, params string[] lines) => new(name, _ => Lines(lines));

    private static async IAsyncEnumerable<byte[]> Lines(string[] lines)
    {
        foreach (var line in lines)
        {
            await Task.Yield();
            yield return Line(line);
        }
    }

    private static async Task<(List<string> Lines, List<string> Warnings)> ReadAsync(Func<byte[], string?>? problemOf, params ShardReplica[] replicas)
    {
        var warnings = new List<string>();
        var lines = new List<string>();
        await foreach (var line in ClusterBackupSource.ReadShard("votes/000", replicas, ClusterReadOptions.Default, warnings.Add, CancellationToken.None, problemOf))
            lines.Add(Encoding.UTF8.GetString(line));
        return (lines, warnings);
    }

    [Theory]
    [InlineData("{\"id\":")]
    [InlineData("[1,2]")]
    [InlineData("{\"id\":7}")]
    public async Task A_replica_serving_a_line_that_is_no_record_is_read_past_and_the_shard_comes_whole_from_the_next(string bad)
    {
        var (lines, warnings) = await ReadAsync(null,
            Serving("hostile", "{\"id\":\"a\"}", bad, "{\"id\":\"c\"}"),
            Serving("honest", "{\"id\":\"a\"}", "{\"id\":\"b\"}", "{\"id\":\"c\"}"));

        Assert.Equal(["{\"id\":\"a\"}", "{\"id\":\"b\"}", "{\"id\":\"c\"}"], lines);
        Assert.StartsWith("votes/000: a record ", Assert.Single(warnings));
        Assert.EndsWith("from hostile; trying the next replica", warnings[0]);
    }

    [Fact]
    public async Task A_record_the_check_refuses_is_never_given_and_when_every_replica_serves_one_the_shard_fails()
    {
        static string? Problem(byte[] line) => Encoding.UTF8.GetString(line).Contains("forged") ? "bad signature" : null;

        var (lines, warnings) = await ReadAsync(Problem,
            Serving("hostile", "{\"id\":\"a\"}", "{\"id\":\"b\",\"forged\":1}"),
            Serving("honest", "{\"id\":\"a\"}", "{\"id\":\"b\"}"));

        Assert.Equal(["{\"id\":\"a\"}", "{\"id\":\"b\"}"], lines);
        Assert.Contains("hostile served b, which fails verification against the federation's keys (bad signature)", Assert.Single(warnings));

        var failed = await Assert.ThrowsAsync<BackupClusterException>(() => ReadAsync(Problem,
            Serving("one", "{\"id\":\"b\",\"forged\":1}"), Serving("two", "{\"id\":\"b\",\"forged\":2}")));
        Assert.StartsWith("votes/000: every replica failed: one served b, which fails verification (bad signature); two served b", failed.Message);
    }
}
