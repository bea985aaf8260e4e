using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Repair;
using ActorBackup.Cluster.Repair.Replies;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Serialization;
using ActorBackup.Cluster.Settings;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorBackup.Cluster.Tests.Repair;

public sealed class RepairSerializationSpec() : DilatedTestKit(BackupConfig.Reference.WithFallback(ActorMaterializer.DefaultConfig()))
{
    private const int RemoteFrameLimit = 128_000;
    private static readonly ReplicaId Votes17 = new("votes", 17);
    private static readonly RepairOptions Defaults = RepairOptions.From(BackupSettings.Create(Akka.Configuration.Config.Empty));

    private object RoundTrip(object message)
    {
        var serializer = Sys.Serialization.FindSerializerFor(message);
        Assert.IsType<BackupMessageSerializer>(serializer);
        var bytes = serializer.ToBinary(message);
        return Sys.Serialization.Deserialize(bytes, serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, message));
    }

    private int SizeOf(object message) => Sys.Serialization.FindSerializerFor(message).ToBinary(message).Length;

    [Fact]
    public async Task A_records_offer_comes_back_with_a_stream_ref_that_still_delivers_the_batches()
    {
        var batches = SpreadSamples.Votes(0, 30).Chunk(10).Select(b => new RecordBatch(b)).ToArray();
        var sourceRef = await Source.From(batches).RunWith(StreamRefs.SourceRef<RecordBatch>(), Sys.Materializer());

        var back = Assert.IsType<RecordsOffer>(RoundTrip(new RecordsOffer(Votes17, Watermark.At(1490000000), sourceRef)));
        var received = await back.Records.Source.RunWith(Sink.Seq<RecordBatch>(), Sys.Materializer()).WaitAsync(Dilated(TimeSpan.FromSeconds(10)));

        Assert.Equal((Votes17, Watermark.At(1490000000)), (back.Replica, back.BackedUpTo));
        Assert.Equal(batches, received);
    }

    [Fact]
    public void A_full_batch_of_votes_fits_well_under_the_remote_frame_limit()
    {
        var records = RecordBatching.Cut(SpreadSamples.Votes(0, 2000), Defaults.BatchRecords, Defaults.MessageBytes).First();

        Assert.True(records.Sum(r => r.Json.Length) > Defaults.MessageBytes - 1000);
        Assert.InRange(SizeOf(new RecordBatch(records)), 1, RemoteFrameLimit / 2);
    }

    [Fact]
    public void A_full_page_of_ids_and_every_bucket_digest_fit_under_the_remote_frame_limit()
    {
        var ids = SpreadSamples.Votes(0, Defaults.IdsPerPage).Select(v => v.Id).ToArray();
        var digest = BucketDigest.Empty.Add(Cluster.Records.RecordDigest.Of(SpreadSamples.Vote(1)));

        Assert.InRange(SizeOf(new BucketIds(Votes17, 255, ids, ids[^1])), 1, RemoteFrameLimit);
        Assert.InRange(SizeOf(new Cluster.Repair.Commands.OfferRecords(Votes17, ids)), 1, RemoteFrameLimit);
        Assert.InRange(SizeOf(new BucketDigests(Votes17, Watermark.None, Enumerable.Repeat(digest with { Count = long.MaxValue }, IdBuckets.Count).ToArray())), 1, RemoteFrameLimit);
    }

    [Fact]
    public void A_records_offer_whose_stream_ref_was_not_written_by_akka_streams_gives_a_serialization_error()
    {
        var serializer = new BackupMessageSerializer((Akka.Actor.ExtendedActorSystem)Sys);
        using var w = new PayloadWriter();
        var bytes = w.String("votes").Int(17).Watermark(Watermark.None).Int(1).String("").Bytes("{}"u8).ToArray();

        var e = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary(bytes, "ro"));

        Assert.Equal($"BackupMessageSerializer cannot read a \"ro\" payload of {bytes.Length} bytes: a stream ref written by serializer 1, not Akka.Streams' StreamRefSerializer.", e.Message);
    }

    [Fact]
    public void A_truncated_record_batch_gives_a_serialization_error()
    {
        var serializer = new BackupMessageSerializer((Akka.Actor.ExtendedActorSystem)Sys);
        var bytes = serializer.ToBinary(new RecordBatch(SpreadSamples.Votes(0, 5)));

        var e = Assert.Throws<System.Runtime.Serialization.SerializationException>(() => serializer.FromBinary(bytes[..^3], "rB"));

        Assert.StartsWith("BackupMessageSerializer cannot read a \"rB\" payload", e.Message);
    }

    [Fact]
    public void The_default_options_follow_the_settings()
    {
        Assert.Equal(TimeSpan.FromMinutes(5), Defaults.Interval);
        Assert.Equal((0.5, 1000, 64 * 1024, 500, 512L * 1024), (Defaults.FarBehind, Defaults.IdsPerPage, Defaults.MessageBytes, Defaults.BatchRecords, Defaults.StoreBytes));
    }
}
