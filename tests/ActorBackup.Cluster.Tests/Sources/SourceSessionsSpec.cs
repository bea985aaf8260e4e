using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Sources;
using ActorBackup.ReQL.Errors;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Processes;
using ActorBackup.Sandbox.Reqlite;
using ActorBackup.Testing;
using Akka.Configuration;
using Akka.Event;

namespace ActorBackup.Cluster.Tests.Sources;

/// <summary>A node's connections to its sources against real reqlite servers: one per source, whatever the number of replicas.</summary>
public sealed class SourceSessionsSpec : IAsyncLifetime
{
    private ReqliteServer _server = null!;

    public async Task InitializeAsync() => _server = await ReqliteServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static SourceSessions Sessions(IEnumerable<string> sources, int perConnection = 256, Func<DateTimeOffset>? wallClock = null) =>
        new(BackupSettings.Create(ConfigurationFactory.ParseString($$"""
            actorbackup {
              sources = [{{string.Join(", ", sources.Select(s => $"\"{s}\""))}}]
              source-probe { interval = 100ms, timeout = 5s }
              source { connect-timeout = 5s, host-backoff = 30s, replicas-per-connection = {{perConnection}} }
            }
            """)), wallClock ?? (() => DateTimeOffset.UtcNow), NoLogger.Instance);

    private static async Task<SourceLease[]> LeaseAsync(SourceSessions sessions, int count) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(_ => sessions.AcquireAsync(0, CancellationToken.None)));

    private static async Task ReleaseAsync(IEnumerable<SourceLease> leases)
    {
        foreach (var lease in leases)
            await lease.DisposeAsync();
    }

    [Fact]
    public async Task Two_hundred_replicas_acquiring_at_once_share_one_connection_which_the_kernel_counts_once()
    {
        await using var sessions = Sessions([_server.Endpoint]);

        var leases = await LeaseAsync(sessions, 200);

        var source = Assert.Single(sessions.Report());
        Assert.Equal((1, 200), (source.Connections, source.Leases));
        Assert.Equal(1, sessions.Sessions[0].Connects);
        Assert.Equal(1, TcpConnections.To(_server.Port, Environment.ProcessId));
        Assert.Single(leases.Select(l => l.Connection).Distinct());
        await ReleaseAsync(leases);
        Assert.Equal(0, TcpConnections.To(_server.Port, Environment.ProcessId));
    }

    [Fact]
    public async Task Past_replicas_per_connection_another_connection_opens()
    {
        await using var sessions = Sessions([_server.Endpoint], perConnection: 3);

        var leases = await LeaseAsync(sessions, 7);

        Assert.Equal(3, sessions.Report()[0].Connections);
        Assert.Equal(3, leases.Select(l => l.Connection).Distinct().Count());
        await ReleaseAsync(leases);
    }

    [Fact]
    public async Task Every_lease_hears_the_probe_of_its_connection_with_the_sources_time()
    {
        await using var sessions = Sessions([_server.Endpoint]);
        var leases = await LeaseAsync(sessions, 3);
        var before = DateTimeOffset.UtcNow;

        var answers = await Task.WhenAll(leases.Select(l => l.NextAnswerAsync()));

        Assert.All(answers, a => Assert.InRange(a.SourceTime, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1)));
        Assert.InRange(sessions.Report()[0].ClockOffsetMs!.Value, -1000, 1000);
        Assert.Null(sessions.Report()[0].Warning);
        await ReleaseAsync(leases);
    }

    [Fact]
    public async Task A_node_whose_wall_clock_jumps_an_hour_forward_after_its_probe_claims_no_time_past_the_source()
    {
        var jump = TimeSpan.Zero;
        await using var sessions = Sessions([_server.Endpoint], wallClock: () => DateTimeOffset.UtcNow + jump);
        await using var lease = await sessions.AcquireAsync(0, CancellationToken.None);
        await lease.NextAnswerAsync(prompt: true);

        jump = TimeSpan.FromHours(1);

        // reqlite answers from this machine's clock, which did not move: it is the source's.
        var sourceNow = Assert.NotNull(sessions.SourceNowOrNull());
        Assert.InRange(sourceNow, DateTimeOffset.UtcNow - TimeSpan.FromSeconds(5), DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1));
        Assert.InRange(Assert.NotNull(lease.SourceNowOrNull()), DateTimeOffset.UtcNow - TimeSpan.FromSeconds(5), DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_node_that_has_never_reached_its_source_knows_no_source_time()
    {
        await using var sessions = Sessions([$"127.0.0.1:{FreePort.Next()}"]);

        await Assert.ThrowsAsync<ReqlConnectionError>(() => sessions.AcquireAsync(0, CancellationToken.None));

        Assert.Null(sessions.SourceNowOrNull());
    }

    [Fact]
    public async Task A_source_that_dies_fails_every_lease_on_its_connection_and_its_return_costs_one_reconnect_for_all()
    {
        await using var sessions = Sessions([_server.Endpoint]);
        var leases = await LeaseAsync(sessions, 50);

        await _server.RestartAsync();

        foreach (var lease in leases)
            await Assert.ThrowsAnyAsync<ReqlError>(() => lease.NextAnswerAsync());
        await ReleaseAsync(leases);
        var again = await LeaseAsync(sessions, 50);
        Assert.Equal(2, sessions.Sessions[0].Connects);
        Assert.Equal(1, TcpConnections.To(_server.Port, Environment.ProcessId));
        await ReleaseAsync(again);
    }

    [Fact]
    public async Task A_source_that_cannot_be_reached_is_passed_over_for_the_next_and_named_in_status()
    {
        var dead = $"127.0.0.1:{FreePort.Next()}";
        await using var sessions = Sessions([dead, _server.Endpoint]);

        await using var lease = await sessions.AcquireAsync(0, CancellationToken.None);

        Assert.Equal(_server.Endpoint, lease.Endpoint);
        var report = sessions.Report();
        Assert.Equal(0, report[0].Connections);
        Assert.NotNull(report[0].LastError);
        Assert.Equal(1, report[1].Connections);
    }

    [Fact]
    public async Task When_no_source_answers_the_error_names_each_of_them()
    {
        var first = $"127.0.0.1:{FreePort.Next()}";
        var second = $"127.0.0.1:{FreePort.Next()}";
        await using var sessions = Sessions([first, second]);

        var e = await Assert.ThrowsAsync<ReqlConnectionError>(() => sessions.AcquireAsync(0, CancellationToken.None));

        Assert.StartsWith($"No source could be reached ({first}: ", e.Message);
        Assert.Contains($"; {second}: ", e.Message);
    }
}
