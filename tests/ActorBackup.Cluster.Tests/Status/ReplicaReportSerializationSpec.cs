using ActorBackup.Admin.Contract;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Serialization;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Status;
using Akka.Actor;

namespace ActorBackup.Cluster.Tests.Status;

public sealed class ReplicaReportSerializationSpec() : DilatedTestKit(BackupConfig.Reference)
{
    private static readonly ReplicaReport Rich = new(
        "akka.tcp://actorbackup@10.0.0.5:4053", "eu-west", "votes", 17, 12, 3, Watermark.At(1490000000), ShardDigest.Empty,
        new ReplicaCapture(ReplicaPhases.Live, 42, 5, 1, "ReqlConnectionError: connection refused", "10.0.0.1:28015", 120, 1489999990,
            1489999995, 3, 1, "no source could be reached", "10.0.0.1:28015 has no block_timestamp index on bigchain.bigchain",
            "a reconciliation with the source"),
        4711);

    private BackupMessageSerializer Serializer => new((ExtendedActorSystem)Sys);

    [Fact]
    public void A_report_with_its_capture_and_pid_comes_back_equal_under_the_new_manifest()
    {
        var bytes = Serializer.ToBinary(Rich);

        Assert.Equal("NG", Serializer.Manifest(Rich));
        Assert.Equal(Rich, Serializer.FromBinary(bytes, "NG"));
    }

    [Fact]
    public void A_report_without_capture_or_pid_comes_back_equal_too()
    {
        var bare = Rich with { Capture = null, Pid = null };

        Assert.Equal(bare, Serializer.FromBinary(Serializer.ToBinary(bare), "NG"));
    }

    [Fact]
    public void A_first_layout_report_from_an_older_node_is_still_read_without_capture_or_pid()
    {
        using var w = new PayloadWriter();
        w.String(Rich.Node).String(Rich.Region).String(Rich.Table).Int(Rich.Shard).Long(Rich.Records).Long(Rich.Quarantined)
            .Watermark(Rich.Watermark).Digest(Rich.Digest);

        var read = Serializer.FromBinary(w.ToArray(), "NR");

        Assert.Equal(Rich with { Capture = null, Pid = null }, read);
    }

    [Fact]
    public void A_second_layout_report_from_an_older_node_is_still_read_with_its_capture_and_no_feed_start()
    {
        var older = Rich with { Capture = Rich.Capture! with { FeedSince = null, ReconciledAt = null, ReconcileFound = 0, SourceLacks = 0, ReconcileError = null, CatchUpFallback = null, WatermarkHeld = null } };
        using var w = new PayloadWriter();
        w.String(older.Node).String(older.Region).String(older.Table).Int(older.Shard).Long(older.Records).Long(older.Quarantined)
            .Watermark(older.Watermark).Digest(older.Digest).OptionalLong(older.Pid).Byte(1);
        var c = older.Capture!;
        w.String(c.Phase).OptionalLong(c.LagSeconds).Long(c.Restarts).Long(c.Gaps).OptionalString(c.LastError).OptionalString(c.Source).Long(c.RecordsCaptured);

        Assert.Equal(older, Serializer.FromBinary(w.ToArray(), "NC"));
    }

    [Fact]
    public void A_third_layout_report_from_an_older_node_is_still_read_with_its_feed_start_and_no_reconciliation()
    {
        var older = Rich with { Capture = Rich.Capture! with { ReconciledAt = null, ReconcileFound = 0, SourceLacks = 0, ReconcileError = null, CatchUpFallback = null, WatermarkHeld = null } };
        using var w = new PayloadWriter();
        w.String(older.Node).String(older.Region).String(older.Table).Int(older.Shard).Long(older.Records).Long(older.Quarantined)
            .Watermark(older.Watermark).Digest(older.Digest).OptionalLong(older.Pid).Byte(1);
        var c = older.Capture!;
        w.String(c.Phase).OptionalLong(c.LagSeconds).Long(c.Restarts).Long(c.Gaps).OptionalString(c.LastError).OptionalString(c.Source).Long(c.RecordsCaptured)
            .OptionalLong(c.FeedSince);

        Assert.Equal(older, Serializer.FromBinary(w.ToArray(), "ND"));
    }

    [Fact]
    public void A_fourth_layout_report_from_an_older_node_is_still_read_with_its_reconciliation_and_no_catch_up_fallback()
    {
        var older = Rich with { Capture = Rich.Capture! with { CatchUpFallback = null, WatermarkHeld = null } };
        using var w = new PayloadWriter();
        w.String(older.Node).String(older.Region).String(older.Table).Int(older.Shard).Long(older.Records).Long(older.Quarantined)
            .Watermark(older.Watermark).Digest(older.Digest).OptionalLong(older.Pid).Byte(1);
        var c = older.Capture!;
        w.String(c.Phase).OptionalLong(c.LagSeconds).Long(c.Restarts).Long(c.Gaps).OptionalString(c.LastError).OptionalString(c.Source).Long(c.RecordsCaptured)
            .OptionalLong(c.FeedSince).OptionalLong(c.ReconciledAt).Long(c.ReconcileFound).Long(c.SourceLacks).OptionalString(c.ReconcileError);

        Assert.Equal(older, Serializer.FromBinary(w.ToArray(), "NE"));
    }

    [Fact]
    public void A_fifth_layout_report_from_an_older_node_is_still_read_with_its_catch_up_fallback_and_no_hold()
    {
        var older = Rich with { Capture = Rich.Capture! with { WatermarkHeld = null } };
        using var w = new PayloadWriter();
        w.String(older.Node).String(older.Region).String(older.Table).Int(older.Shard).Long(older.Records).Long(older.Quarantined)
            .Watermark(older.Watermark).Digest(older.Digest).OptionalLong(older.Pid).Byte(1);
        var c = older.Capture!;
        w.String(c.Phase).OptionalLong(c.LagSeconds).Long(c.Restarts).Long(c.Gaps).OptionalString(c.LastError).OptionalString(c.Source).Long(c.RecordsCaptured)
            .OptionalLong(c.FeedSince).OptionalLong(c.ReconciledAt).Long(c.ReconcileFound).Long(c.SourceLacks).OptionalString(c.ReconcileError)
            .OptionalString(c.CatchUpFallback);

        Assert.Equal(older, Serializer.FromBinary(w.ToArray(), "NF"));
    }

    [Fact]
    public void A_capture_marker_that_is_neither_0_nor_1_is_a_serialization_error()
    {
        var bytes = Serializer.ToBinary(Rich with { Capture = null, Pid = null });
        bytes[^1] = 7;

        var e = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => Serializer.FromBinary(bytes, "NG"));

        Assert.Contains("7 does not say whether a capture status follows", e.Message);
    }
}
