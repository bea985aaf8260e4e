using ActorBackup.Cluster.Node;

namespace ActorBackup.Cluster.Tests.Node;

/// <summary>Which remoting hosts make a node without actorbackup.tls warn at start that other processes can join.</summary>
public sealed class RemotingWithoutTlsSpec
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.2")]
    [InlineData("::1")]
    [InlineData("localhost")]
    [InlineData("LocalHost")]
    public void A_node_listening_on_loopback_only_is_not_warned_about(string host) =>
        Assert.Null(BackupNode.ListensBeyondLoopback(host));

    [Theory]
    [InlineData("10.0.0.5", "10.0.0.5")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("::", "::")]
    [InlineData("backup-1.example", "backup-1.example")]
    [InlineData("", "every interface")]
    public void A_node_listening_beyond_loopback_is_warned_about_with_the_host_named(string host, string named) =>
        Assert.Equal(named, BackupNode.ListensBeyondLoopback(host));
}
