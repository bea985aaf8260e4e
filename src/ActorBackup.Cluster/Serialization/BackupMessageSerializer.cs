using System.Runtime.Serialization;
using System.Security.Cryptography;
using System.Text;
using ActorBackup.Cluster.Capture;
using ActorBackup.Cluster.Capture.Points;
using ActorBackup.Cluster.Capture.Queries;
using ActorBackup.Cluster.Capture.Replies;
using ActorBackup.Cluster.Encryption;
using ActorBackup.Cluster.Journal.Events;
using ActorBackup.Cluster.Ingest.Commands;
using ActorBackup.Cluster.Reconcile;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Events;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Cluster.Status;
using Akka.Actor;
using Akka.Serialization;

namespace ActorBackup.Cluster.Serialization;

/// <summary>
/// The serializer of every <see cref="Messages.IBackupMessage"/>: a fixed id, one short manifest per
/// type (<see cref="Manifests"/>), a compact binary layout and Brotli for record batches.
/// </summary>
public sealed class BackupMessageSerializer : SerializerWithStringManifest
{
    /// <summary>Stored beside every event in the journal: never changes.</summary>
    public const int SerializerId = 7251;

    private readonly ExtendedActorSystem _system;
    private readonly Lazy<AtRest> _atRest;

    public BackupMessageSerializer(ExtendedActorSystem system) : base(system)
    {
        _system = system;
        _atRest = new Lazy<AtRest>(() => AtRest.Get(system));
    }

    public override int Identifier => SerializerId;

    /// <summary>The manifest, with <see cref="AtRest.EncryptedPrefix"/> in front for a persisted type when data at rest is encrypted.</summary>
    public override string Manifest(object o)
    {
        var manifest = InnerManifest(o);
        return IsSealed(manifest) ? AtRest.EncryptedPrefix + manifest : manifest;
    }

    /// <summary>Whether payloads of this manifest are encrypted: what the journal keeps, except the record of which keys it needs.</summary>
    private bool IsSealed(string manifest) =>
        _atRest.Value.Keys is not null && manifest is Manifests.RecordsStored or Manifests.RecordsQuarantined or Manifests.WatermarkAdvanced
            or Manifests.EventsMerged
            or Manifests.CapturePointConfirmed or Manifests.ReplicaState or Manifests.DictionaryTrained or Manifests.HashesInterned;

    private string InnerManifest(object o) => o switch
    {
        RecordsStored => Manifests.RecordsStored,
        RecordsQuarantined => Manifests.RecordsQuarantined,
        WatermarkAdvanced => Manifests.WatermarkAdvanced,
        EventsMerged => Manifests.EventsMerged,
        CapturePointConfirmed => Manifests.CapturePointConfirmed,
        ReplicaState => Manifests.ReplicaState,
        StoreRecords => Manifests.StoreRecords,
        QuarantineRecords => Manifests.QuarantineRecords,
        AdvanceWatermark => Manifests.AdvanceWatermark,
        RaiseImportPoint => Manifests.RaiseImportPoint,
        GetReplicaStatus => Manifests.GetReplicaStatus,
        GetDigestAt => Manifests.GetDigestAt,
        RecordsStoredAck => Manifests.RecordsStoredAck,
        RecordsQuarantinedAck => Manifests.RecordsQuarantinedAck,
        BatchRejected => Manifests.BatchRejected,
        WatermarkAck => Manifests.WatermarkAck,
        ReplicaStatus => Manifests.ReplicaStatus,
        DigestAt => Manifests.DigestAt,
        ReplicaReport => Manifests.ReplicaReport,
        GetCaptureStatus => Manifests.GetCaptureStatus,
        CaptureStatus => Manifests.CaptureStatus,
        DictionaryTrained => Manifests.DictionaryTrained,
        KeyInUse => Manifests.KeyInUse,
        HashesInterned => Manifests.HashesInterned,
        _ => RepairLayouts.Manifest(o) ?? throw new SerializationException($"{nameof(BackupMessageSerializer)} (id {SerializerId}) has no manifest for {o.GetType().FullName}: add one to Manifests."),
    };

    public override byte[] ToBinary(object obj)
    {
        var manifest = InnerManifest(obj);
        var bytes = Write(obj);
        return IsSealed(manifest) ? _atRest.Value.Keys!.Seal(bytes, Encoding.UTF8.GetBytes(manifest)) : bytes;
    }

    private byte[] Write(object obj)
    {
        using var w = new PayloadWriter();
        switch (obj)
        {
            case RecordsStored e:
                return PersistedLayouts.WriteStored(e, _atRest.Value, firstWrite: true);
            case RecordsQuarantined e:
                return PersistedLayouts.WriteQuarantined(e, _atRest.Value.Settings.CompressionLevel);
            case EventsMerged e:
                return PersistedLayouts.WriteMerged(e, _atRest.Value);
            case DictionaryTrained e:
                w.String(e.Table).Long(e.Id).Bytes(e.Bytes);
                break;
            case KeyInUse e:
                w.Long(e.KeyId);
                break;
            case HashesInterned e:
                w.Int(e.First).Bytes(e.Hashes);
                break;
            case StoreRecords c:
                return Compression.Compress(w.Long(c.BatchId).List(c.Records, (x, r) => x.Record(r)).ToArray());
            case QuarantineRecords c:
                return Compression.Compress(w.Long(c.BatchId).List(c.Records, (x, q) => x.Quarantined(q)).ToArray());
            case WatermarkAdvanced e:
                w.Watermark(e.To);
                break;
            case CapturePointConfirmed e:
                w.Watermark(e.To);
                break;
            case ReplicaState s:
                w.String(s.Replica.Table).Int(s.Replica.Shard).Long(s.StoredCount).Long(s.QuarantinedCount)
                    .Digest(s.Digest).Watermark(s.Watermark).Long(s.NewestTimestamp).Long(s.QuarantineBytes).Long(s.QuarantineDropped);
                break;
            case AdvanceWatermark c:
                w.Watermark(c.To);
                break;
            case RaiseImportPoint c:
                w.String(c.Replica.Table).Int(c.Replica.Shard).Watermark(c.At).Long(c.Count).Digest(c.Digest);
                break;
            case GetReplicaStatus:
                break;
            case GetDigestAt c:
                w.Watermark(c.At);
                break;
            case RecordsStoredAck r:
                w.Long(r.BatchId).Int(r.Stored).Int(r.Duplicates);
                break;
            case RecordsQuarantinedAck r:
                w.Long(r.BatchId).Int(r.Stored).Int(r.Duplicates);
                break;
            case BatchRejected r:
                w.Long(r.BatchId).String(r.Reason);
                break;
            case WatermarkAck r:
                w.Watermark(r.Flushed);
                break;
            case ReplicaStatus r:
                w.String(r.Replica.Table).Int(r.Replica.Shard).Long(r.StoredCount).Long(r.QuarantinedCount)
                    .Digest(r.Digest).Watermark(r.BackedUpTo).Long(r.NewestTimestamp).Long(r.LastSequenceNr);
                break;
            case DigestAt r:
                w.Watermark(r.At).Long(r.Count).Digest(r.Digest);
                break;
            case ReplicaReport r:
                w.String(r.Node).String(r.Region).String(r.Table).Int(r.Shard).Long(r.Records).Long(r.Quarantined)
                    .Watermark(r.Watermark).Digest(r.Digest).OptionalLong(r.Pid).Byte(r.Capture is null ? (byte)0 : (byte)1);
                if (r.Capture is { } capture)
                {
                    w.String(capture.Phase).OptionalLong(capture.LagSeconds).Long(capture.Restarts).Long(capture.Gaps).OptionalString(capture.LastError)
                        .OptionalString(capture.Source).Long(capture.RecordsCaptured).OptionalLong(capture.FeedSince)
                        .OptionalLong(capture.ReconciledAt).Long(capture.ReconcileFound).Long(capture.SourceLacks).OptionalString(capture.ReconcileError)
                        .OptionalString(capture.CatchUpFallback).OptionalString(capture.WatermarkHeld);
                }
                break;
            case GetCaptureStatus:
                break;
            case CaptureStatus s:
                w.String(s.Replica.Table).Int(s.Replica.Shard).Byte((byte)s.Phase).OptionalString(s.Source).OptionalString(s.LastError)
                    .Long(s.RecordsCaptured).Long(s.Quarantined).Long(s.Duplicates).Long(s.Restarts).Long(s.Gaps).Long(s.RecordsScanned)
                    .Watermark(s.ScanFrom).Watermark(s.Flushed).OptionalLong(s.LagSeconds).Long(s.StoredCount).Long(s.QuarantinedCount)
                    .Digest(s.Digest).OptionalLong(s.FeedSince).OptionalString(s.CatchUpFallback).Byte(s.Reconcile is null ? (byte)0 : (byte)1);
                if (s.Reconcile is { } reconcile)
                    w.OptionalLong(reconcile.ReconciledAt).Long(reconcile.Found).Long(reconcile.SourceLacks).OptionalString(reconcile.LastError);
                w.OptionalString(s.WatermarkHeld);
                break;
            default:
                if (RepairLayouts.TryWrite(_system, obj, w))
                    return RepairLayouts.IsCompressed(InnerManifest(obj)) ? Compression.Compress(w.ToArray()) : w.ToArray();
                throw new SerializationException($"{nameof(BackupMessageSerializer)} (id {SerializerId}) cannot write {obj.GetType().FullName}: add it to Manifests and the layout.");
        }
        return w.ToArray();
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        try
        {
            if (!manifest.StartsWith(AtRest.EncryptedPrefix, StringComparison.Ordinal))
                return Read(bytes, manifest);
            var inner = manifest[AtRest.EncryptedPrefix.Length..];
            var keys = _atRest.Value.Keys;
            if (KeyRing.KeyIdOf(bytes) is { } keyId && (keys is null || !keys.Holds(keyId)))
                throw new MissingKeyException(keyId, inner, keys is not null);
            if (keys is null)
                throw new SerializationException($"A \"{inner}\" payload is encrypted and no actorbackup.encryption.key-file is set.");
            return Read(keys.Open(bytes, Encoding.UTF8.GetBytes(inner)), inner);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or DecoderFallbackException or IOException or CryptographicException)
        {
            throw new SerializationException($"{nameof(BackupMessageSerializer)} cannot read a \"{manifest}\" payload of {bytes.Length} bytes: {e.Message}.", e);
        }
    }

    private object Read(byte[] bytes, string manifest)
    {
        switch (manifest)
        {
            case Manifests.RecordsStored:
                return PersistedLayouts.ReadStored(bytes, _atRest.Value);
            case Manifests.RecordsQuarantined:
                return PersistedLayouts.ReadQuarantined(bytes);
            case Manifests.EventsMerged:
                return PersistedLayouts.ReadMerged(bytes, _atRest.Value);
        }
        using var r = new PayloadReader(manifest switch
        {
            Manifests.RecordsStoredV1 or Manifests.RecordsQuarantinedV1 or Manifests.StoreRecords or Manifests.QuarantineRecords
                => Compression.Decompress(bytes),
            _ when RepairLayouts.IsCompressed(manifest) => Compression.Decompress(bytes),
            _ => bytes,
        });
        object result = manifest switch
        {
            Manifests.RecordsStoredV1 => new RecordsStored(r.List(x => x.Record())),
            Manifests.RecordsQuarantinedV1 => PersistedLayouts.FromFirstLayout(r.List(x => x.Quarantined()), _atRest.Value.Settings.QuarantinePrefixBytes),
            Manifests.DictionaryTrained => new DictionaryTrained(r.String(), DictionaryId(r.Long()), r.Bytes()),
            Manifests.KeyInUse => new KeyInUse(DictionaryId(r.Long())),
            // Whole hashes that follow on are checked as the node store adds them (InternedHashes.Add).
            Manifests.HashesInterned => new HashesInterned(r.Int(), r.Bytes()),
            Manifests.StoreRecords => new StoreRecords(r.Long(), r.List(x => x.Record())),
            Manifests.QuarantineRecords => new QuarantineRecords(r.Long(), r.List(x => x.Quarantined())),
            Manifests.WatermarkAdvanced => new WatermarkAdvanced(r.Watermark()),
            Manifests.CapturePointConfirmed => new CapturePointConfirmed(r.Watermark()),
            Manifests.ReplicaStateV1 => new ReplicaState(new ReplicaId(r.String(), r.Int()), r.Long(), r.Long(), r.Digest(), r.Watermark(), r.Long()),
            Manifests.ReplicaState => new ReplicaState(new ReplicaId(r.String(), r.Int()), r.Long(), r.Long(), r.Digest(), r.Watermark(), r.Long(), r.Long(), r.Long()),
            Manifests.AdvanceWatermark => new AdvanceWatermark(r.Watermark()),
            Manifests.RaiseImportPoint => new RaiseImportPoint(new ReplicaId(r.String(), r.Int()), r.Watermark(), r.Long(), r.Digest()),
            Manifests.GetReplicaStatus => GetReplicaStatus.Instance,
            Manifests.GetDigestAt => new GetDigestAt(r.Watermark()),
            Manifests.RecordsStoredAck => new RecordsStoredAck(r.Long(), r.Int(), r.Int()),
            Manifests.RecordsQuarantinedAck => new RecordsQuarantinedAck(r.Long(), r.Int(), r.Int()),
            Manifests.BatchRejected => new BatchRejected(r.Long(), r.String()),
            Manifests.WatermarkAck => new WatermarkAck(r.Watermark()),
            Manifests.ReplicaStatus => new ReplicaStatus(new ReplicaId(r.String(), r.Int()), r.Long(), r.Long(), r.Digest(), r.Watermark(), r.Long(), r.Long()),
            Manifests.DigestAt => new DigestAt(r.Watermark(), r.Long(), r.Digest()),
            Manifests.ReplicaReportV1 => new ReplicaReport(r.String(), r.String(), r.String(), r.Int(), r.Long(), r.Long(), r.Watermark(), r.Digest()),
            Manifests.ReplicaReportV2 => ReadReplicaReport(r, ReportLayout.Capture),
            Manifests.ReplicaReportV3 => ReadReplicaReport(r, ReportLayout.FeedSince),
            Manifests.ReplicaReportV4 => ReadReplicaReport(r, ReportLayout.Reconcile),
            Manifests.ReplicaReportV5 => ReadReplicaReport(r, ReportLayout.Fallback),
            Manifests.ReplicaReport => ReadReplicaReport(r, ReportLayout.Held),
            Manifests.GetCaptureStatus => GetCaptureStatus.Instance,
            Manifests.CaptureStatusV1 => ReadCaptureStatus(r),
            Manifests.CaptureStatusV2 => ReadCaptureStatus(r) with { FeedSince = r.OptionalLong() },
            // Initializers run in the order written, which is the order of the fields.
            Manifests.CaptureStatusV3 => ReadCaptureStatus(r) with
            {
                FeedSince = r.OptionalLong(), CatchUpFallback = r.OptionalString(), Reconcile = ReadReconcileStatus(r),
            },
            Manifests.CaptureStatus => ReadCaptureStatus(r) with
            {
                FeedSince = r.OptionalLong(), CatchUpFallback = r.OptionalString(), Reconcile = ReadReconcileStatus(r), WatermarkHeld = r.OptionalString(),
            },
            _ => RepairLayouts.TryRead(_system, manifest, r) ?? throw new SerializationException(
                $"{nameof(BackupMessageSerializer)} (id {SerializerId}) does not know manifest \"{manifest}\": it was written by a newer or foreign version."),
        };
        r.End();
        return result;
    }

    private static CaptureStatus ReadCaptureStatus(PayloadReader r) =>
        new(new ReplicaId(r.String(), r.Int()), Phase(r.Byte()), r.OptionalString(), r.OptionalString(),
            r.Long(), r.Long(), r.Long(), r.Long(), r.Long(), r.Long(), r.Watermark(), r.Watermark(), r.OptionalLong(), r.Long(), r.Long(), r.Digest());

    private static uint DictionaryId(long value) =>
        value is >= 0 and <= uint.MaxValue ? (uint)value : throw new InvalidDataException($"{value} is not a four-byte id");

    private static ReconcileStatus? ReadReconcileStatus(PayloadReader r) => r.Byte() switch
    {
        0 => null,
        1 => new ReconcileStatus(r.OptionalLong(), r.Long(), r.Long(), r.OptionalString()),
        var other => throw new InvalidDataException($"{other} does not say whether a reconciliation status follows"),
    };

    /// <summary>The layouts of a replica report's capture part, each adding fields at the end of the one before.</summary>
    private enum ReportLayout { Capture, FeedSince, Reconcile, Fallback, Held }

    private static ReplicaReport ReadReplicaReport(PayloadReader r, ReportLayout layout)
    {
        var report = new ReplicaReport(r.String(), r.String(), r.String(), r.Int(), r.Long(), r.Long(), r.Watermark(), r.Digest());
        var pid = r.OptionalLong();
        var capture = r.Byte() switch
        {
            0 => null,
            1 => Reconciled(new ReplicaCapture(r.String(), r.OptionalLong(), r.Long(), r.Long(), r.OptionalString(), r.OptionalString(), r.Long(),
                layout >= ReportLayout.FeedSince ? r.OptionalLong() : null)),
            var other => throw new InvalidDataException($"{other} does not say whether a capture status follows"),
        };
        if (pid is < 0 or > int.MaxValue)
            throw new InvalidDataException($"{pid} is not a process id");

        ReplicaCapture Reconciled(ReplicaCapture c)
        {
            if (layout >= ReportLayout.Reconcile)
                c = c with { ReconciledAt = r.OptionalLong(), ReconcileFound = r.Long(), SourceLacks = r.Long(), ReconcileError = r.OptionalString() };
            if (layout >= ReportLayout.Fallback)
                c = c with { CatchUpFallback = r.OptionalString() };
            return layout >= ReportLayout.Held ? c with { WatermarkHeld = r.OptionalString() } : c;
        }
        return report with { Pid = (int?)pid, Capture = capture };
    }

    private static CapturePhase Phase(byte value) =>
        Enum.IsDefined((CapturePhase)value) ? (CapturePhase)value : throw new InvalidDataException($"{value} is not a capture phase");
}
