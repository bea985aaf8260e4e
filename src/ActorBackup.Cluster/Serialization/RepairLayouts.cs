using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Repair;
using ActorBackup.Cluster.Repair.Commands;
using ActorBackup.Cluster.Repair.Replies;
using ActorBackup.Cluster.Replica;
using Akka.Actor;
using Akka.Streams;

namespace ActorBackup.Cluster.Serialization;

/// <summary>
/// Manifests and layouts of the repair protocol between sibling replicas, kept apart from
/// <see cref="BackupMessageSerializer"/>'s journal types.
/// </summary>
internal static class RepairLayouts
{
    /// <summary>Id of Akka.Streams' StreamRefSerializer, the only one that writes a stream ref for another node.</summary>
    private const int StreamRefSerializerId = 30;

    public static string? Manifest(object o) => o switch
    {
        RecordBatch => Manifests.RecordBatch,
        GetBucketDigests => Manifests.GetBucketDigests,
        BucketDigests => Manifests.BucketDigests,
        GetBucketIds => Manifests.GetBucketIds,
        BucketIds => Manifests.BucketIds,
        OfferRecords => Manifests.OfferRecords,
        OfferAllRecords => Manifests.OfferAllRecords,
        RecordsOffer => Manifests.RecordsOffer,
        RepairRefused => Manifests.RepairRefused,
        GetRepairStatus => Manifests.GetRepairStatus,
        RepairStatus => Manifests.RepairStatus,
        _ => null,
    };

    public static bool IsCompressed(string manifest) => manifest == Manifests.RecordBatch;

    /// <summary>Writes a repair message; false when <paramref name="obj"/> is not one.</summary>
    public static bool TryWrite(ExtendedActorSystem system, object obj, PayloadWriter w)
    {
        switch (obj)
        {
            case RecordBatch b:
                w.List(b.Records, (x, r) => x.Record(r));
                break;
            case GetBucketDigests c:
                Replica(w, c.Replica);
                break;
            case BucketDigests r:
                Replica(w, r.Replica).Watermark(r.Attested).List(r.Buckets, (x, b) => x.Long(b.Count).Digest(b.Digest));
                break;
            case GetBucketIds c:
                OptionalString(Replica(w, c.Replica).Int(c.Bucket), c.After);
                break;
            case BucketIds r:
                OptionalString(Replica(w, r.Replica).Int(r.Bucket).List(r.Ids, (x, id) => x.String(id)), r.Next);
                break;
            case OfferRecords c:
                Replica(w, c.Replica).List(c.Ids, (x, id) => x.String(id));
                break;
            case OfferAllRecords c:
                Replica(w, c.Replica);
                break;
            case RecordsOffer r:
                {
                    var serializer = system.Serialization.FindSerializerFor(r.Records);
                    if (serializer.Identifier != StreamRefSerializerId)
                        throw new System.Runtime.Serialization.SerializationException(
                            $"A stream ref would be written by {serializer.GetType().Name}, not Akka.Streams' StreamRefSerializer: "
                            + "the actor system's configuration lacks ActorMaterializer.DefaultConfig().");
                    Replica(w, r.Replica).Watermark(r.BackedUpTo)
                        .Int(serializer.Identifier)
                        .String(Akka.Serialization.Serialization.ManifestFor(serializer, r.Records))
                        .Bytes(serializer.ToBinary(r.Records));
                    break;
                }
            case RepairRefused r:
                Replica(w, r.Replica).String(r.Reason);
                break;
            case GetRepairStatus:
                break;
            case RepairStatus s:
                OptionalString(Replica(w, s.Replica).Int(s.Siblings).Long(s.Rounds).Long(s.FailedRounds).Long(s.Repaired)
                    .Long(s.Duplicates).Long(s.Batches).Long(s.BulkFills), s.LastError);
                break;
            default:
                return false;
        }
        return true;
    }

    /// <summary>Reads a repair message, or null when the manifest is not one of them.</summary>
    public static object? TryRead(ExtendedActorSystem system, string manifest, PayloadReader r) => manifest switch
    {
        Manifests.RecordBatch => new RecordBatch(r.List(x => x.Record())),
        Manifests.GetBucketDigests => new GetBucketDigests(Replica(r)),
        Manifests.BucketDigests => new BucketDigests(Replica(r), r.Watermark(), r.List(x => new BucketDigest(x.Long(), x.Digest()))),
        Manifests.GetBucketIds => new GetBucketIds(Replica(r), r.Int(), OptionalString(r)),
        Manifests.BucketIds => new BucketIds(Replica(r), r.Int(), r.List(x => x.String()), OptionalString(r)),
        Manifests.OfferRecords => new OfferRecords(Replica(r), r.List(x => x.String())),
        Manifests.OfferAllRecords => new OfferAllRecords(Replica(r)),
        Manifests.RecordsOffer => new RecordsOffer(Replica(r), r.Watermark(), SourceRef(system, r)),
        Manifests.RepairRefused => new RepairRefused(Replica(r), r.String()),
        Manifests.GetRepairStatus => GetRepairStatus.Instance,
        Manifests.RepairStatus => new RepairStatus(Replica(r), r.Int(), r.Long(), r.Long(), r.Long(), r.Long(), r.Long(), r.Long(), OptionalString(r)),
        _ => null,
    };

    private static PayloadWriter Replica(PayloadWriter w, ReplicaId replica) => w.String(replica.Table).Int(replica.Shard);

    private static ReplicaId Replica(PayloadReader r) => new(r.String(), r.Int());

    private static PayloadWriter OptionalString(PayloadWriter w, string? value) =>
        value is null ? w.Byte(0) : w.Byte(1).String(value);

    private static string? OptionalString(PayloadReader r) => r.Byte() switch
    {
        0 => null,
        1 => r.String(),
        var b => throw new InvalidDataException($"optional string flag {b}"),
    };

    private static ISourceRef<RecordBatch> SourceRef(ExtendedActorSystem system, PayloadReader r)
    {
        var (serializerId, manifest, bytes) = (r.Int(), r.String(), r.Bytes());
        if (serializerId != StreamRefSerializerId)
            throw new InvalidDataException($"a stream ref written by serializer {serializerId}, not Akka.Streams' StreamRefSerializer");
        return system.Serialization.Deserialize(bytes, serializerId, manifest) as ISourceRef<RecordBatch>
            ?? throw new InvalidDataException("the stream ref is not a source of record batches");
    }
}
