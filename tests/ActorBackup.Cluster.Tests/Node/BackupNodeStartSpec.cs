using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Settings;
using ActorBackup.Sandbox;
using Akka.Cluster;
using Akka.Configuration;
using Microsoft.Data.Sqlite;
using AkkaCluster = Akka.Cluster.Cluster;

namespace ActorBackup.Cluster.Tests.Node;

public sealed class BackupNodeStartSpec : IDisposable
{
    private readonly TestNodeFiles _files = new();

    public void Dispose() => _files.Dispose();

    private NodeConfiguration Configuration(int port, int adminPort, string extra = "") =>
        NodeConfiguration.FromConfig(ConfigurationFactory.ParseString(_files.NodeHocon("solo", "eu-west", port, adminPort, port, extra)), "solo");

    /// <summary>
    /// Holds the write lock of the node's SQLite journal, as a slow disk or a starved machine would delay it: the
    /// journal cannot create its tables until the lock is released.
    /// </summary>
    private static SqliteTransaction LockJournal(NodeConfiguration configuration)
    {
        JournalConfig.For(configuration.Settings);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = JournalConfig.SqliteFile(configuration.Settings) }.ToString());
        connection.Open();
        return connection.BeginTransaction(deferred: false);
    }

    [Fact]
    public async Task A_journal_slower_to_open_than_the_read_journals_own_five_seconds_does_not_stop_the_start()
    {
        var configuration = Configuration(FreePort.Next(), FreePort.Next());
        var held = LockJournal(configuration);
        var connection = held.Connection!;
        // The fault lasts past the plugin's fixed five-second wait, then goes away, as a slow disk's does.
        await using var release = new Timer(_ =>
        {
            held.Dispose();
            connection.Dispose();
        }, null, TimeSpan.FromSeconds(6.5), Timeout.InfiniteTimeSpan);
        var clock = Stopwatch.StartNew();

        await using var node = BackupNode.Start(configuration);

        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(6), $"the start took {clock.Elapsed.TotalSeconds:0.0} s: the journal was not held up");
        Assert.False(node.WhenTerminated.IsCompleted);
    }

    [Fact]
    public void A_journal_that_does_not_open_within_the_start_timeout_stops_the_start_with_one_line_naming_it()
    {
        var configuration = Configuration(FreePort.Next(), FreePort.Next(), "actorbackup.node.start-timeout = 1s");
        using var held = LockJournal(configuration);
        using var connection = held.Connection!;

        var e = Assert.Throws<NodeStartException>(() => BackupNode.Start(configuration));

        Assert.Equal($"the journal (sqlite {JournalConfig.SqliteFile(configuration.Settings)}) did not answer within 1 s of the start "
                     + "(actorbackup.node.start-timeout): the machine or its disk is too slow, or the database is out of reach", e.Message);
    }

    [Fact]
    public async Task A_started_node_runs_without_any_downing_provider()
    {
        await using var node = BackupNode.Start(Configuration(FreePort.Next(), FreePort.Next()));

        Assert.Equal(typeof(NoDowning), AkkaCluster.Get(node.System).Settings.DowningProviderType);
    }

    [Fact]
    public void An_admin_endpoint_already_in_use_stops_the_start_with_one_line()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var adminPort = ((IPEndPoint)taken.LocalEndpoint).Port;

        var e = Assert.Throws<BackupSettingsException>(() => BackupNode.Start(Configuration(FreePort.Next(), adminPort)));

        Assert.StartsWith($"actorbackup.admin.endpoint: cannot listen on 127.0.0.1:{adminPort}: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_cluster_port_already_in_use_stops_the_start_with_one_line()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var e = Assert.Throws<BackupSettingsException>(() => BackupNode.Start(Configuration(port, FreePort.Next())));

        Assert.StartsWith($"akka.remote.dot-netty.tcp: cannot listen on 127.0.0.1:{port}: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
