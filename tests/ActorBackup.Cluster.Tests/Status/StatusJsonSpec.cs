using System.Text.Json;
using ActorBackup.Admin.Contract.Status;

namespace ActorBackup.Cluster.Tests.Status;

/// <summary>The /status JSON as every client reads it: the fields it keeps, what it still reads, what it refuses.</summary>
public sealed class StatusJsonSpec
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private static ClusterStatus Status() =>
        new("akka.tcp://actorbackup@10.0.0.5:4053", At, 2,
            [new MemberEntry("akka.tcp://actorbackup@10.0.0.5:4053", "eu-west", "up", true, "http://10.0.0.5:8558/", 4711)],
            [new ShardStatus("votes/000", "votes", 0, "[minval, maxval)", 1, true, At, null, 12,
                [new ShardReplica("akka.tcp://actorbackup@10.0.0.5:4053", "eu-west", true, 12, 1, At, 1, "ab12", ReplicaPhases.Live, 3, 0, 0, null, "10.0.0.1:28015", 12,
                    WatermarkBasis.Continuous(At.AddMinutes(-5)))])],
            At, 5, 1, WatermarkBasis.Weakest([WatermarkBasis.Continuous(At.AddMinutes(-5))]),
            [new SourceEntry("10.0.0.1:28015", 1, 129, -3600000.5, 0.4, At, "clock offset -3600.000 s ± 0.4 ms exceeds actorbackup.source-clock.warn-offset (2s)", null)]);

    private static IEnumerable<string> Names(JsonElement element) => element.EnumerateObject().Select(p => p.Name);

    [Fact]
    public void The_status_has_exactly_the_fields_clients_read_and_no_others()
    {
        using var json = JsonDocument.Parse(StatusJson.Write(Status()));
        var root = json.RootElement;

        Assert.Equal(["node", "at", "replicas", "members", "shards", "restorablePoint", "rpoSeconds", "quarantined", "restorablePointBasis", "sources"],
            Names(root));
        Assert.Equal(["kind", "since", "text", "reconciledAt"], Names(root.GetProperty("restorablePointBasis")));
        Assert.Equal(["endpoint", "connections", "leases", "clockOffsetMs", "clockUncertaintyMs", "clockMeasuredAt", "warning", "lastError"],
            Names(root.GetProperty("sources")[0]));
        Assert.Equal(["address", "region", "status", "reachable", "adminUrl", "pid"], Names(root.GetProperty("members")[0]));
        var shard = root.GetProperty("shards")[0];
        Assert.Equal(["id", "table", "shard", "range", "replicaCount", "underReplicated", "backedUpTo", "durableOnR", "records", "replicas"], Names(shard));
        Assert.Equal(["node", "region", "reachable", "records", "quarantined", "watermark", "durable", "digest", "phase", "lagSeconds", "restarts", "gaps",
            "lastError", "source", "recordsCaptured", "basis", "reconcile", "catchUpFallback", "watermarkHeld"], Names(shard.GetProperty("replicas")[0]));
        Assert.Equal("2023-11-14T22:13:20+00:00", shard.GetProperty("replicas")[0].GetProperty("watermark").GetString());
    }

    [Fact]
    public void The_sources_clock_and_what_the_restorable_point_rests_on_read_back_as_written()
    {
        var read = StatusJson.Read(StatusJson.Write(Status()));

        Assert.Equal(Status().RestorablePointBasis, read.RestorablePointBasis);
        Assert.Equal("continuous feed since 2023-11-14T22:08:20Z on every shard", read.RestorablePointBasis!.Text);
        Assert.Equal(Status().Sources![0], Assert.Single(read.Sources!));
        Assert.Equal(Status().Shards[0].Replicas[0].Basis, read.Shards[0].Replicas[0].Basis);
    }

    [Fact]
    public void A_status_from_a_node_that_predates_capture_phases_and_pids_still_reads()
    {
        const string old = """
            {"node":"n","at":"2023-11-14T22:13:20+00:00","replicas":1,
             "members":[{"address":"n","region":"eu-west","status":"up","reachable":true}],
             "shards":[{"id":"votes/000","table":"votes","shard":0,"range":"[minval, maxval)","replicaCount":1,"underReplicated":false,
               "backedUpTo":null,"durableOnR":null,"records":0,
               "replicas":[{"node":"n","region":"eu-west","reachable":true,"records":0,"quarantined":0,"watermark":null,"durable":0,"digest":""}]}],
             "restorablePoint":null,"rpoSeconds":null,"quarantined":0}
            """;

        var status = StatusJson.Read(old);

        Assert.Null(status.Members[0].AdminUrl);
        Assert.Null(status.Members[0].Pid);
        Assert.Null(status.Shards[0].Replicas[0].Phase);
        Assert.Null(status.RestorablePoint);
        Assert.Null(status.RestorablePointBasis);
        Assert.Null(status.Sources);
        Assert.Null(status.Shards[0].Replicas[0].Basis);
    }

    [Theory]
    [InlineData("members")]
    [InlineData("shards")]
    [InlineData("replicas")]
    public void A_status_missing_a_field_every_status_has_is_not_read_as_an_empty_one(string field)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(StatusJson.Write(Status()))!.AsObject();
        node.Remove(field);

        Assert.Throws<JsonException>(() => StatusJson.Read(node.ToJsonString()));
    }

    [Fact]
    public void A_status_with_null_members_is_refused()
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(StatusJson.Write(Status()))!.AsObject();
        node["members"] = null;

        Assert.Throws<JsonException>(() => StatusJson.Read(node.ToJsonString()));
    }
}
