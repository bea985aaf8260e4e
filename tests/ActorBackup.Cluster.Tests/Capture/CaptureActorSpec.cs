using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Capture;
using ActorBackup.Cluster.Capture.Queries;
using ActorBackup.Cluster.Capture.Replies;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Ledger.Simulation;
using Akka.Actor;

using static ActorBackup.Cluster.Tests.Capture.CaptureReplicas;
namespace ActorBackup.Cluster.Tests.Capture;

/// <summary>Capture actors against real reqlite sources and a real SQLite journal.</summary>
public sealed class CaptureActorSpec : DilatedTestKit, IDisposable
{
    // Short: assertions poll, and a question sent before the journal's supervisor started its child is lost.
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(1);
    private readonly CaptureHarness _harness;

    public CaptureActorSpec() : this(new CaptureHarness())
    {
    }

    private CaptureActorSpec(CaptureHarness harness) : base(harness.Config) => _harness = harness;

    private static long WallNow => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private TimeSpan Patience => Dilated(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Records_before_start_come_from_the_scan_records_while_live_from_the_feed_and_shards_split_the_set()
    {
        await using var source = await LedgerSource.StartAsync();
        using var ledger = new SimulatedLedger("scan-and-feed", WallNow - 200);
        var before = ledger.Next(8);
        await source.InsertAsync(before);
        var environment = _harness.Environment(ledger.Federation, [source.Endpoint]);
        var captures = Spawn(environment, Sys);

        await AwaitStoredAsync(captures, environment, before);
        foreach (var capture in captures.Values)
        {
            var status = await StatusAsync(capture);
            Assert.Equal(CapturePhase.Live, status.Phase);
            Assert.Equal(source.Endpoint, status.Source);
        }

        ledger.NextTimestamp = WallNow - 2;
        var live = ledger.Next(5);
        await source.InsertAsync(live);

        await AwaitStoredAsync(captures, environment, [.. before, .. live]);
        var scanned = 0L;
        foreach (var capture in captures.Values) scanned += (await StatusAsync(capture)).RecordsScanned;
        Assert.Equal(before.Count, scanned);
        Assert.All(captures.Keys, replica => Assert.Contains(before.Concat(live), d => Expected(environment, replica, d)));
    }

    [Fact]
    public async Task A_source_killed_and_recovered_mid_feed_leaves_no_gap_and_stores_each_record_once()
    {
        await using var source = await LedgerSource.StartAsync();
        using var ledger = new SimulatedLedger("kill-and-recover", WallNow - 300);
        var first = ledger.Next(6);
        await source.InsertAsync(first);
        var environment = _harness.Environment(ledger.Federation, [source.Endpoint]);
        var captures = Spawn(environment, Sys);
        await AwaitStoredAsync(captures, environment, first);

        await source.RestartEmptyAsync();
        ledger.NextTimestamp = WallNow - 2;
        var later = ledger.Next(6);
        await source.InsertAsync([.. first, .. later]);

        await AwaitStoredAsync(captures, environment, [.. first, .. later]);
        foreach (var capture in captures.Values)
        {
            await AwaitAssertAsync(async () => Assert.Equal(CapturePhase.Live, (await StatusAsync(capture)).Phase), Patience);
            var status = await StatusAsync(capture);
            Assert.True(status.Restarts >= 1, $"{status.Replica} restarted {status.Restarts} times");
            Assert.NotNull(status.LastError);
        }
    }

    [Fact]
    public async Task When_the_first_source_dies_capture_goes_on_from_the_second()
    {
        await using var primary = await LedgerSource.StartAsync();
        await using var secondary = await LedgerSource.StartAsync();
        using var ledger = new SimulatedLedger("failover", WallNow - 300);
        var first = ledger.Next(5);
        await primary.InsertAsync(first);
        await secondary.InsertAsync(first);
        var environment = _harness.Environment(ledger.Federation, [primary.Endpoint, secondary.Endpoint]);
        var captures = Spawn(environment, Sys);
        await AwaitStoredAsync(captures, environment, first);

        primary.Server.Kill();
        ledger.NextTimestamp = WallNow - 2;
        var later = ledger.Next(5);
        await secondary.InsertAsync(later);

        await AwaitStoredAsync(captures, environment, [.. first, .. later]);
        foreach (var capture in captures.Values)
            Assert.Equal(secondary.Endpoint, (await StatusAsync(capture)).Source);
    }

    [Fact]
    public async Task Records_delivered_again_by_the_source_failed_over_to_are_stored_once()
    {
        await using var primary = await LedgerSource.StartAsync();
        await using var secondary = await LedgerSource.StartAsync();
        using var ledger = new SimulatedLedger("twice", WallNow - 100);
        var first = ledger.Next(5);
        await primary.InsertAsync(first);
        await secondary.InsertAsync(first);
        // A margin wider than the records' age: the scan on the second source reads every record again.
        var environment = _harness.Environment(ledger.Federation, [primary.Endpoint, secondary.Endpoint], marginSeconds: 600);
        var captures = Spawn(environment, Sys);
        await AwaitStoredAsync(captures, environment, first);

        primary.Server.Kill();
        var later = ledger.Next(3);
        await secondary.InsertAsync(later);

        await AwaitStoredAsync(captures, environment, [.. first, .. later]);
        var duplicates = 0L;
        foreach (var capture in captures.Values) duplicates += (await StatusAsync(capture)).Duplicates;
        Assert.True(duplicates >= first.Count, $"{duplicates} duplicates counted, {first.Count} records were delivered twice");
    }

    [Fact]
    public async Task Forged_and_malformed_documents_end_in_quarantine_with_their_reason_and_capture_goes_on()
    {
        await using var source = await LedgerSource.StartAsync();
        using var ledger = new SimulatedLedger("bad-input", WallNow - 300, new FaultRates(ForgedSignatures: 0.25, MalformedDocuments: 0.25));
        var documents = ledger.Next(12).Where(SimulatedLedger.IsStorable).ToList();
        var unkeyed = new LedgerDocument("bigchain", "42", 0, """{"id":42,"block":{"timestamp":"nope"}}"""u8.ToArray(), SimulatedFault.Malformed);
        await source.InsertAsync([.. documents, unkeyed]);
        var environment = _harness.Environment(ledger.Federation, [source.Endpoint]);
        var captures = Spawn(environment, Sys);
        var faulty = documents.Where(IsFaulty).ToList();
        Assert.NotEmpty(faulty);

        await AwaitStoredAsync(captures, environment, documents.Except(faulty).ToList());
        await AwaitAssertAsync(() => Assert.Equal(faulty.Count + 1, _harness.Quarantine().Count), Patience);

        var quarantine = _harness.Quarantine();
        Assert.All(faulty, d => Assert.Contains(quarantine, q => q.Id == d.Id));
        Assert.Contains(quarantine, q => q.Reason == "signature-mismatch");
        Assert.Contains(quarantine, q => q.Id.StartsWith("0-unkeyed-", StringComparison.Ordinal) && q.Reason == "unusable-id");
        Assert.DoesNotContain(quarantine, q => string.IsNullOrWhiteSpace(q.Reason));
        var quarantined = 0L;
        foreach (var capture in captures.Values) quarantined += (await StatusAsync(capture)).Quarantined;
        Assert.Equal(faulty.Count + 1, quarantined);

        ledger.NextTimestamp = WallNow - 2;
        var more = ledger.Next(4).Where(SimulatedLedger.IsStorable).ToList();
        await source.InsertAsync(more);
        await AwaitStoredAsync(captures, environment, documents.Concat(more).Where(d => !IsFaulty(d)).ToList());
    }

    [Fact]
    public async Task A_restarted_capture_recovers_from_its_journal_and_scans_only_from_its_watermark_minus_the_margin()
    {
        await using var source = await LedgerSource.StartAsync();
        using var ledger = new SimulatedLedger("restart", WallNow - 300);
        var first = ledger.Next(6);
        await source.InsertAsync(first);
        var environment = _harness.Environment(ledger.Federation, [source.Endpoint]);
        var newest = first.Max(d => d.Timestamp);

        var before = ActorSystem.Create("before-restart", _harness.Config);
        var flushed = new Dictionary<ReplicaId, Watermark>();
        try
        {
            var captures = Spawn(environment, before);
            await AwaitStoredAsync(captures, environment, first, before);
            foreach (var (replica, capture) in captures)
            {
                // The point the restarted capture scans from is the one persisted, after the journal flushed the watermark.
                await AwaitAssertAsync(async () =>
                {
                    var point = await CaptureHarness.CapturePointAsync(before, capture, AskTimeout);
                    Assert.True(point > Watermark.At(newest), $"{replica} confirmed {point}");
                    flushed[replica] = point;
                }, Patience);
            }
        }
        finally
        {
            await before.Terminate();
        }

        ledger.NextTimestamp = WallNow - 2;
        var later = ledger.Next(3);
        await source.InsertAsync(later);
        var restarted = Spawn(environment, Sys);

        await AwaitStoredAsync(restarted, environment, [.. first, .. later]);
        var scanned = 0L;
        foreach (var (replica, capture) in restarted)
        {
            var status = await StatusAsync(capture);
            Assert.True(status.ScanFrom >= flushed[replica].Minus(TimeSpan.FromSeconds(5)), $"{replica} scanned from {status.ScanFrom}");
            Assert.True(status.ScanFrom > Watermark.At(newest), $"{replica} scanned from {status.ScanFrom}, before records it already held");
            Assert.Equal(later.Count(d => Expected(environment, replica, d)), status.RecordsCaptured);
            scanned += status.RecordsScanned;
        }
        Assert.Equal(later.Count, scanned);
    }

    [Fact]
    public async Task A_replica_at_rest_persists_its_capture_point_once_a_step_and_one_past_a_new_record_at_once()
    {
        await using var source = await LedgerSource.StartAsync();
        using var ledger = new SimulatedLedger("point-at-rest", WallNow - 300);
        var first = ledger.Next(3);
        await source.InsertAsync(first);
        var environment = _harness.Environment(ledger.Federation, [source.Endpoint], shards: 1);
        var step = environment.Settings.Capture.PointRestStep;
        Assert.True(step >= TimeSpan.FromSeconds(30), $"the test needs a step of at least 30s, not {step}");
        var newest = first.Max(d => d.Timestamp);
        var captures = Spawn(environment, Sys, "bigchain");
        await AwaitStoredAsync(captures, environment, first.Where(d => d.Table == "bigchain").ToList());
        var (replica, capture) = captures.Single();

        var atRest = Watermark.None;
        await AwaitAssertAsync(async () =>
        {
            atRest = await CaptureHarness.CapturePointAsync(Sys, capture, AskTimeout);
            Assert.True(atRest > Watermark.At(newest), $"{replica} persisted {atRest}");
        }, Patience);
        // A point sent before the answer for the one before it came is persisted too: read it once the watermark moved on.
        await AwaitAssertAsync(async () => Assert.True((await StatusAsync(capture)).Flushed >= Watermark.At(atRest.Seconds + 3)), Patience);
        atRest = await PersistedPointAsync(capture);
        // Checkpoints every 200 ms move the watermark every second; the persisted point waits for a step of them.
        await AwaitAssertAsync(async () => Assert.True((await StatusAsync(capture)).Flushed >= Watermark.At(atRest.Seconds + 3)), Patience);
        var point = await PersistedPointAsync(capture);
        Assert.Equal(atRest, point);

        // A block arrives: the first point past it is persisted without waiting for the step.
        ledger.NextTimestamp = WallNow - 1;
        var later = ledger.Next(3).Where(d => d.Table == "bigchain").ToList();
        await source.InsertAsync(later);
        await AwaitStoredAsync(captures, environment, [.. first.Where(d => d.Table == "bigchain"), .. later]);
        await AwaitAssertAsync(async () =>
        {
            var past = await CaptureHarness.CapturePointAsync(Sys, capture, AskTimeout);
            Assert.True(past > Watermark.At(later.Max(d => d.Timestamp)), $"{replica} persisted {past}");
            Assert.True(past.Seconds - point.Seconds < step.TotalSeconds, $"{replica} persisted {past} a step or more after {point}, not at once");
        }, Patience);
    }

    [Fact]
    public async Task A_replica_whose_watermark_repair_raised_past_a_gap_still_scans_the_gap_from_its_own_point_after_a_restart()
    {
        await using var source = await LedgerSource.StartAsync();
        using var ledger = new SimulatedLedger("raised", WallNow - 300);
        var first = ledger.Next(6);
        await source.InsertAsync(first);
        var environment = _harness.Environment(ledger.Federation, [source.Endpoint], shards: 1);
        var newest = first.Max(d => d.Timestamp);
        var raised = Watermark.At(WallNow + 3600);

        var before = ActorSystem.Create("before-raise", _harness.Config);
        var own = new Dictionary<ReplicaId, Watermark>();
        try
        {
            var captures = Spawn(environment, before);
            await AwaitStoredAsync(captures, environment, first, before);
            foreach (var (replica, capture) in captures)
            {
                await AwaitAssertAsync(async () => Assert.True((await StatusAsync(capture)).Flushed > Watermark.At(newest)), Patience);
                own[replica] = (await StatusAsync(capture)).Flushed;
                // What repair (or an import) does: the journal's watermark moves past records this replica never saw.
                var ack = await before.ActorSelection(capture.Path / NodeActorPaths.Journal).Ask<WatermarkAck>(AdvanceWatermark.Local(raised), AskTimeout);
                Assert.Equal(raised, ack.Flushed);
            }
        }
        finally
        {
            await before.Terminate();
        }

        ledger.NextTimestamp = WallNow - 2;
        var gap = ledger.Next(4);
        await source.InsertAsync(gap);
        var restarted = Spawn(environment, Sys);

        await AwaitStoredAsync(restarted, environment, [.. first, .. gap]);
        foreach (var (replica, capture) in restarted)
        {
            var status = await StatusAsync(capture);
            Assert.True(status.ScanFrom <= own[replica], $"{replica} scanned from {status.ScanFrom}, past its own point {own[replica]}");
            Assert.Equal(gap.Count(d => Expected(environment, replica, d)), status.RecordsCaptured);
        }
    }

    [Theory]
    [InlineData(3600)]
    [InlineData(-3600)]
    public async Task The_watermark_follows_the_sources_clock_over_flushed_records_whatever_the_nodes_clock_says(int skewSeconds)
    {
        await using var source = await LedgerSource.StartAsync();
        var t0 = WallNow;
        // reqlite answers r.now() from this machine's clock: the wall clock is the source's.
        _harness.Skew = TimeSpan.FromSeconds(skewSeconds);
        using var ledger = new SimulatedLedger("skewed-node", t0 - 20);
        var documents = ledger.Next(8);
        Assert.Contains(documents, d => d.Timestamp > t0 - 5);
        await source.InsertAsync(documents);
        var environment = _harness.Environment(ledger.Federation, [source.Endpoint], shards: 1);
        var capture = Spawn(environment, Sys)[new ReplicaId("votes", 0)];
        var votes = documents.Where(d => d.Table == "votes").ToList();
        var violations = new List<string>();

        async Task<CaptureStatus> WatermarkReaches(long atLeast)
        {
            CaptureStatus? reached = null;
            await AwaitAssertAsync(async () =>
            {
                var status = await StatusAsync(capture);
                var sourceNow = WallNow;
                if (!status.Flushed.IsNone)
                {
                    if (status.Flushed.Seconds > sourceNow - 5)
                        violations.Add($"watermark {status.Flushed.Seconds} is past the source's now - margin {sourceNow - 5}");
                    var covered = votes.Count(d => d.Timestamp <= status.Flushed.Seconds);
                    if (status.StoredCount < covered)
                        violations.Add($"watermark {status.Flushed.Seconds} claims {covered} records, {status.StoredCount} are stored");
                }
                Assert.True(status.Flushed >= Watermark.At(atLeast), $"watermark {status.Flushed} has not reached {atLeast}");
                reached = status;
            }, Patience, Dilated(TimeSpan.FromMilliseconds(50)));
            return reached!;
        }

        var first = await WatermarkReaches(t0 - 5);
        var second = await WatermarkReaches(first.Flushed.Seconds + 2);

        Assert.Empty(violations);
        Assert.Equal(votes.Count, second.StoredCount);
        Assert.InRange(second.LagSeconds!.Value, 0, 60);
        Assert.InRange(second.FeedSince!.Value, t0 - 60, WallNow);
        var clock = Assert.Single(_harness.Sessions!.Report());
        Assert.InRange(clock.ClockOffsetMs!.Value, -skewSeconds * 1000.0 - 5000, -skewSeconds * 1000.0 + 5000);
        Assert.StartsWith($"clock offset {(skewSeconds > 0 ? "-" : "+")}3", clock.Warning);
        Assert.EndsWith("exceeds actorbackup.source-clock.warn-offset (2s)", clock.Warning);
    }

    private static bool IsFaulty(LedgerDocument document) => document.Fault is SimulatedFault.ForgedSignature or SimulatedFault.Malformed;

    private Task AwaitStoredAsync(
        Dictionary<ReplicaId, IActorRef> captures, CaptureEnvironment environment, IReadOnlyList<LedgerDocument> documents, ActorSystem? system = null) =>
        CaptureReplicas.AwaitStoredAsync(this, captures, environment, documents, Patience, system);

    private async Task<Watermark> PersistedPointAsync(IActorRef capture)
    {
        var point = Watermark.None;
        await AwaitAssertAsync(async () => point = await CaptureHarness.CapturePointAsync(Sys, capture, AskTimeout), Patience);
        return point;
    }

    public new void Dispose()
    {
        base.Dispose();
        _harness.Dispose();
    }
}
