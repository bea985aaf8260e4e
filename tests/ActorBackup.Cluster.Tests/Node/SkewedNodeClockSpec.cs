using System.Net.Http;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Tests.Capture;
using ActorBackup.Sandbox;
using Akka.Configuration;

namespace ActorBackup.Cluster.Tests.Node;

/// <summary>
/// A backup node whose clock runs an hour ahead of its source (a real reqlite, whose clock is this machine's): its
/// /status must claim nothing the source has not reached, and say how far off the clocks are.
/// </summary>
public sealed class SkewedNodeClockSpec() : DilatedTestKit(), IAsyncLifetime
{
    private static readonly TimeSpan Ahead = TimeSpan.FromHours(1);
    private readonly TestNodeFiles _files = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private LedgerSource _source = null!;
    private SimulatedLedger _ledger = null!;
    private BackupNode _node = null!;

    private static long WallNow => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public async Task InitializeAsync()
    {
        _source = await LedgerSource.StartAsync();
        _ledger = new SimulatedLedger(TestNodeFiles.FederationSeed, WallNow - 120);
        await _source.InsertAsync(_ledger.Next(4));
        var extra = $$"""
            actorbackup {
              sources = ["{{_source.Endpoint}}"]
              tables = [votes]
              shards = 2
              replicas = 1
              catch-up-margin = 2s
              batch.max-latency = 50ms
            }
            akka.coordinated-shutdown.run-by-actor-system-terminate = off
            """;
        var port = FreePort.Next();
        var hocon = _files.NodeHocon("skewed", "eu-west", port, FreePort.Next(), port, extra);
        _node = BackupNode.Start(NodeConfiguration.FromConfig(ConfigurationFactory.ParseString(hocon), "skewed"), clock: () => DateTimeOffset.UtcNow + Ahead);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _ledger.Dispose();
        await _source.DisposeAsync();
        _http.Dispose();
        _files.Dispose();
    }

    [Fact]
    public async Task A_node_clock_an_hour_ahead_claims_no_point_past_the_sources_time_and_status_shows_the_offset_with_a_warning()
    {
        var violations = new List<string>();
        ClusterStatus? last = null;
        await AwaitAssertAsync(async () =>
        {
            var status = StatusJson.Read(await _http.GetStringAsync(_node.AdminUrl + "status"));
            var sourceNow = DateTimeOffset.UtcNow;
            if (status.RestorablePoint is { } point && point > sourceNow)
                violations.Add($"restorable point {point:O} is past the source's time {sourceNow:O}");
            if (status.At > sourceNow.AddSeconds(5))
                violations.Add($"status computed at {status.At:O}, the source's time is {sourceNow:O}");
            Assert.NotNull(status.RestorablePoint);
            Assert.True(status.RestorablePoint > sourceNow.AddSeconds(-30), $"restorable point {status.RestorablePoint:O} lags the source's {sourceNow:O}");
            last = status;
        }, Dilated(TimeSpan.FromSeconds(60)), TimeSpan.FromMilliseconds(250));

        Assert.Empty(violations);
        Assert.InRange(last!.RpoSeconds!.Value, 0, 30);
        var source = Assert.Single(last.Sources!);
        Assert.Equal((_source.Endpoint, 1), (source.Endpoint, source.Connections));
        // Two replicas, and the table metadata read while it runs.
        Assert.InRange(source.Leases, 2, 3);
        Assert.InRange(source.ClockOffsetMs!.Value, -Ahead.TotalMilliseconds - 5000, -Ahead.TotalMilliseconds + 5000);
        Assert.InRange(source.ClockUncertaintyMs!.Value, 0, 5000);
        Assert.StartsWith("clock offset -3", source.Warning);
        Assert.Equal(WatermarkBasis.ContinuousFeed, last.RestorablePointBasis!.Kind);
        Assert.StartsWith("continuous feed since ", last.RestorablePointBasis.Text);
    }
}
