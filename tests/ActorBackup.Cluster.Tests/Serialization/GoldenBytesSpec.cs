using ActorBackup.Admin.Contract;
using System.Reflection;
using System.Text;
using ActorBackup.Cluster.Capture;
using ActorBackup.Cluster.Capture.Points;
using ActorBackup.Cluster.Capture.Queries;
using ActorBackup.Cluster.Capture.Replies;
using ActorBackup.Cluster.Journal.Events;
using ActorBackup.Cluster.Positions;
using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Repair;
using ActorBackup.Cluster.Repair.Commands;
using ActorBackup.Cluster.Repair.Replies;
using ActorBackup.Cluster.Ingest.Commands;
using ActorBackup.Cluster.Reconcile;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Events;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Cluster.Serialization;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Status;
using ActorBackup.Testing;
using Akka.Actor;
using Akka.Serialization;
using Akka.Streams;

namespace ActorBackup.Cluster.Tests.Serialization;

/// <summary>
/// The exact bytes <see cref="BackupMessageSerializer"/> writes for a fixed sample of every manifest, committed in
/// Golden/persisted.golden (journal events and snapshots: what a node must read back after an upgrade) and
/// Golden/remote.golden (messages between nodes: what a node of the previous version must understand during a rolling
/// upgrade). Serializing each sample must give its golden bytes, and reading the golden bytes must give the sample, so
/// any change of a layout, a manifest or the compression fails here.
///
/// A layout change is made with a new manifest, never by editing an existing one's bytes (see Manifests). To record the
/// bytes of a new manifest, or to accept a deliberate change, run
///   ACTORBACKUP_UPDATE_GOLDEN=1 dotnet test tests/ActorBackup.Cluster.Tests --filter FullyQualifiedName~GoldenBytesSpec
/// where The_golden_files_are_rewritten_only_when_asked rewrites both files from this build (keeping the entries of
/// read-only manifests, which no build writes any more) and fails on purpose; review `git diff` of the Golden folder,
/// commit it, and run again without the variable. A run without it only compares.
/// </summary>
public sealed class GoldenBytesSpec() : DilatedTestKit(BackupConfig.Reference.WithFallback(ActorMaterializer.DefaultConfig()), SystemName)
{
    public const string UpdateVariable = "ACTORBACKUP_UPDATE_GOLDEN";

    private const int StreamRefSerializerId = 30;

    // Part of the stream ref's serialized actor path: the golden bytes of "ro" hold it.
    private const string SystemName = "golden";

    private static readonly bool Updating = Environment.GetEnvironmentVariable(UpdateVariable) is "1";
    private static readonly string GoldenDirectory = Path.Combine(RepoPaths.Root, "tests", "ActorBackup.Cluster.Tests", "Serialization", "Golden");

    // Literal, so that the samples change only when this file does.
    private static readonly ShardDigest Digest = ShardDigest.FromBytes(Convert.FromHexString("5c0e1a7d9b2f4c6e8a1b3d5f7092a4c6e8f0123456789abcdef0fedcba987654"));
    private static readonly ReplicaId Votes17 = new("votes", 17);

    private static readonly CapturedRecord Vote = new("votes", "b726da5d-0716-4f8e-a580-9e09763434c0", 1490000000,
        "{\"id\":\"b726da5d-0716-4f8e-a580-9e09763434c0\",\"node_pubkey\":\"4K9sWUMFwTgaDGPfdynrbxWqWS6sWmKbZoTjxLtVUibD\",\"vote\":{\"is_block_valid\":true,\"timestamp\":\"1490000000\"}}"u8.ToArray(),
        RecordVerdict.Verified);

    private static readonly CapturedRecord Block = new("bigchain", "9a3f5c", 1490000001,
        "{\"id\":\"9a3f5c\",\"block\":{\"timestamp\":\"1490000001\",\"node_pubkey\":\"Gr\u00fcn\"}}"u8.ToArray(), RecordVerdict.Verified);

    private static readonly QuarantinedRecord Forged = new(
        new CapturedRecord("bigchain", "00ff", 1490000002, "{\"id\":\"00ff\",\"bl\u00f6ck\":{}}"u8.ToArray(), RecordVerdict.Quarantined),
        "bad-id", "the id is not the SHA3-256 of the block");

    /// <summary>What the journal stores: events and snapshots of the replica actor, and the node's own entry.</summary>
    private static readonly IReadOnlyDictionary<string, object> Persisted = new Dictionary<string, object>
    {
        [Manifests.RecordsStoredV1] = new RecordsStored([Vote, Block]),
        // The first layout kept whole documents: they read back as entries with the configured prefix (16 KiB by default).
        [Manifests.RecordsQuarantinedV1] = new RecordsQuarantined([QuarantineEntry.Of(Forged, 16 * 1024)]),
        [Manifests.ReplicaStateV1] = new ReplicaState(Votes17, 12, 3, Digest, Watermark.At(1490000000), 1490000005),
        [Manifests.RecordsStored] = new RecordsStored([Vote, Block, Block with { Id = "not-the-document-id", Table = "votes", Timestamp = 1489999000 }]),
        [Manifests.RecordsQuarantined] = new RecordsQuarantined([QuarantineEntry.Of(Forged, 16)], 2),
        [Manifests.WatermarkAdvanced] = new WatermarkAdvanced(Watermark.At(1490000000)),
        [Manifests.EventsMerged] = new EventsMerged(7, [new MergedPart(2, 0, 0), new MergedPart(0, 1, 2), new MergedPart(0, 0, 0)],
            new RecordsStored([Vote, Block]), new RecordsQuarantined([QuarantineEntry.Of(Forged, 16)], 2), Watermark.At(1490000000)),
        [Manifests.ReplicaState] = new ReplicaState(Votes17, 12, 3, Digest, Watermark.At(1490000000), 1490000005, 4711, 2),
        [Manifests.DictionaryTrained] = new DictionaryTrained("votes", 0x1234abcd, [0x37, 0xa4, 0x30, 0xec, 1, 2, 3]),
        [Manifests.KeyInUse] = new KeyInUse(0xdeadbeef),
        [Manifests.HashesInterned] = new HashesInterned(3, Convert.FromHexString("5c0e1a7d9b2f4c6e8a1b3d5f7092a4c6e8f0123456789abcdef0fedcba987654" + "00ff".PadRight(64, '1'))),
        [Manifests.CapturePointConfirmed] = new CapturePointConfirmed(Watermark.At(1490000000)),
    };

    /// <summary>What nodes send each other; <see cref="Manifests.RecordsOffer"/> is added per actor system (it holds a stream ref).</summary>
    private static readonly IReadOnlyDictionary<string, object> RemoteWithoutOffer = new Dictionary<string, object>
    {
        [Manifests.StoreRecords] = new StoreRecords(42, [Vote, Block]),
        [Manifests.QuarantineRecords] = new QuarantineRecords(43, [Forged]),
        [Manifests.AdvanceWatermark] = new AdvanceWatermark(Watermark.At(1490000000)),
        [Manifests.RaiseImportPoint] = new RaiseImportPoint(Votes17, Watermark.At(1490000000), 12, Digest),
        [Manifests.GetReplicaStatus] = GetReplicaStatus.Instance,
        [Manifests.GetDigestAt] = new GetDigestAt(Watermark.At(1490000000)),
        [Manifests.GetCaptureStatus] = GetCaptureStatus.Instance,
        [Manifests.RecordsStoredAck] = new RecordsStoredAck(42, 10, 2),
        [Manifests.RecordsQuarantinedAck] = new RecordsQuarantinedAck(43, 1, 0),
        [Manifests.BatchRejected] = new BatchRejected(44, "record x of table votes belongs to shard 3, not 17"),
        [Manifests.WatermarkAck] = new WatermarkAck(Watermark.At(1490000000)),
        [Manifests.ReplicaStatus] = new ReplicaStatus(Votes17, 12, 3, Digest, Watermark.At(1490000000), 1490000005, 99),
        [Manifests.DigestAt] = new DigestAt(Watermark.At(1490000000), 12, Digest),
        [Manifests.ReplicaReportV1] = new ReplicaReport("akka.tcp://actorbackup@10.0.0.5:4053", "eu-west", "votes", 17, 12, 3, Watermark.At(1490000000), Digest),
        [Manifests.ReplicaReportV2] = new ReplicaReport("akka.tcp://actorbackup@10.0.0.5:4053", "eu-west", "votes", 17, 12, 3, Watermark.At(1490000000), Digest,
            new ReplicaCapture("backoff", 42, 5, 1, "ReqlConnectionError: connection refused", "10.0.0.1:28015", 120), 4711),
        [Manifests.ReplicaReportV3] = new ReplicaReport("akka.tcp://actorbackup@10.0.0.5:4053", "eu-west", "votes", 17, 12, 3, Watermark.At(1490000000), Digest,
            new ReplicaCapture("live", 4, 5, 1, "ReqlConnectionError: connection refused", "10.0.0.1:28015", 120, 1489999990), 4711),
        [Manifests.ReplicaReportV4] = new ReplicaReport("akka.tcp://actorbackup@10.0.0.5:4053", "eu-west", "votes", 17, 12, 3, Watermark.At(1490000000), Digest,
            new ReplicaCapture("live", 4, 5, 1, "ReqlConnectionError: connection refused", "10.0.0.1:28015", 120, 1489999990,
                1489999995, 3, 1, "no source could be reached"), 4711),
        [Manifests.ReplicaReportV5] = new ReplicaReport("akka.tcp://actorbackup@10.0.0.5:4053", "eu-west", "votes", 17, 12, 3, Watermark.At(1490000000), Digest,
            new ReplicaCapture("live", 4, 5, 1, "ReqlConnectionError: connection refused", "10.0.0.1:28015", 120, 1489999990,
                1489999995, 3, 1, "no source could be reached", "10.0.0.1:28015 has no block_timestamp index on bigchain.bigchain"), 4711),
        [Manifests.ReplicaReport] = new ReplicaReport("akka.tcp://actorbackup@10.0.0.5:4053", "eu-west", "votes", 17, 12, 3, Watermark.At(1490000000), Digest,
            new ReplicaCapture("live", 4, 5, 1, "ReqlConnectionError: connection refused", "10.0.0.1:28015", 120, 1489999990,
                1489999995, 3, 1, "no source could be reached", "10.0.0.1:28015 has no block_timestamp index on bigchain.bigchain",
                CaptureProgress.HeldForReconciliation), 4711),
        [Manifests.CaptureStatusV1] = new CaptureStatus(Votes17, CapturePhase.Live, "10.0.0.1:28015", "ReqlConnectionError: connection refused", 120, 3, 7, 2, 1, 40,
            Watermark.At(1489999970), Watermark.At(1490000000), 12, 500, 9, Digest),
        [Manifests.CaptureStatusV2] = new CaptureStatus(Votes17, CapturePhase.Live, "10.0.0.1:28015", "ReqlConnectionError: connection refused", 120, 3, 7, 2, 1, 40,
            Watermark.At(1489999970), Watermark.At(1490000000), 12, 500, 9, Digest, 1489999990),
        [Manifests.CaptureStatusV3] = new CaptureStatus(new ReplicaId("bigchain", 17), CapturePhase.Live, "10.0.0.1:28015", "ReqlConnectionError: connection refused",
            120, 3, 7, 2, 1, 40, Watermark.At(1489999970), Watermark.At(1490000000), 12, 500, 9, Digest, 1489999990,
            "10.0.0.1:28015 has no block_timestamp index on bigchain.bigchain", new ReconcileStatus(1489999995, 3, 1, null)),
        [Manifests.CaptureStatus] = new CaptureStatus(new ReplicaId("votes", 17), CapturePhase.Live, "10.0.0.1:28015", "ReqlConnectionError: connection refused",
            120, 3, 7, 2, 1, 40, Watermark.At(1489999970), Watermark.At(1490000000), 12, 500, 9, Digest, 1489999990,
            null, new ReconcileStatus(1489999995, 3, 1, null), CaptureProgress.HeldForReconciliation),
        [Manifests.RecordBatch] = new RecordBatch([Vote, Block]),
        [Manifests.GetBucketDigests] = new GetBucketDigests(Votes17),
        [Manifests.BucketDigests] = new BucketDigests(Votes17, Watermark.At(1490000000), [BucketDigest.Empty, new BucketDigest(3, Digest)]),
        [Manifests.GetBucketIds] = new GetBucketIds(Votes17, 200, "44000000-x"),
        [Manifests.BucketIds] = new BucketIds(Votes17, 3, ["a", "b\u00e9"], "b\u00e9"),
        [Manifests.OfferRecords] = new OfferRecords(Votes17, ["a", "b\u00e9"]),
        [Manifests.OfferAllRecords] = new OfferAllRecords(Votes17),
        [Manifests.RepairRefused] = new RepairRefused(Votes17, "this repair actor serves replica-votes-003, not replica-votes-017"),
        [Manifests.GetRepairStatus] = GetRepairStatus.Instance,
        [Manifests.RepairStatus] = new RepairStatus(Votes17, 2, 10, 1, 300, 4, 12, 1, "no reply in time"),
    };

    /// <summary>Manifests still read but no longer written: their golden bytes come from an earlier build and are never rewritten.</summary>
    private static readonly IReadOnlySet<string> ReadOnly = new HashSet<string>
    {
        Manifests.ReplicaReportV1, Manifests.ReplicaReportV2, Manifests.ReplicaReportV3, Manifests.ReplicaReportV4, Manifests.ReplicaReportV5,
        Manifests.CaptureStatusV1, Manifests.CaptureStatusV2, Manifests.CaptureStatusV3,
        Manifests.RecordsStoredV1, Manifests.RecordsQuarantinedV1, Manifests.ReplicaStateV1,
    };

    private BackupMessageSerializer Serializer => new((ExtendedActorSystem)Sys);

    public static TheoryData<string> PersistedManifests() => new(Persisted.Keys.Order(StringComparer.Ordinal));

    public static TheoryData<string> RemoteManifests() => new(RemoteWithoutOffer.Keys.Append(Manifests.RecordsOffer).Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(PersistedManifests))]
    public void A_persisted_sample_serializes_to_exactly_its_golden_bytes(string manifest)
    {
        if (ReadOnly.Contains(manifest))
            Assert.NotEqual(manifest, Serializer.Manifest(Persisted[manifest]));
        else
            AssertWritesGolden(manifest, Persisted[manifest], Golden("persisted"));
    }

    [Theory]
    [MemberData(nameof(PersistedManifests))]
    public void Persisted_golden_bytes_read_back_as_the_sample(string manifest) =>
        Assert.Equal(Persisted[manifest], Serializer.FromBinary(Golden("persisted")[manifest], manifest));

    [Theory]
    [MemberData(nameof(RemoteManifests))]
    public void A_remote_sample_serializes_to_exactly_its_golden_bytes(string manifest)
    {
        var golden = Golden("remote");
        if (ReadOnly.Contains(manifest))
            Assert.NotEqual(manifest, Serializer.Manifest(RemoteWithoutOffer[manifest]));
        else
            AssertWritesGolden(manifest, Remote(manifest), golden);
    }

    [Theory]
    [MemberData(nameof(RemoteManifests))]
    public void Remote_golden_bytes_read_back_as_the_sample(string manifest)
    {
        var back = Serializer.FromBinary(Golden("remote")[manifest], manifest);

        if (back is RecordsOffer offer && Remote(manifest) is RecordsOffer sample)
        {
            // A stream ref has no value equality: it is the same when it points at the same actor.
            Assert.Equal((sample.Replica, sample.BackedUpTo), (offer.Replica, offer.BackedUpTo));
            Assert.Equal(StreamRefBytes(sample.Records), StreamRefBytes(offer.Records));
        }
        else
        {
            Assert.Equal(Remote(manifest), back);
        }
    }

    [Fact]
    public void Every_manifest_has_a_sample_and_a_golden_entry_in_the_file_of_its_kind()
    {
        var declared = typeof(Manifests).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet();
        var remote = RemoteWithoutOffer.Keys.Append(Manifests.RecordsOffer).ToHashSet();

        Assert.Empty(Persisted.Keys.Intersect(remote));
        Assert.Equal(declared.Order(StringComparer.Ordinal), Persisted.Keys.Concat(remote).Order(StringComparer.Ordinal));
        Assert.Equal(Persisted.Keys.Order(StringComparer.Ordinal), Golden("persisted").Keys.Order(StringComparer.Ordinal));
        Assert.Equal(remote.Order(StringComparer.Ordinal), Golden("remote").Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_event_and_snapshot_of_the_journal_is_in_the_persisted_file()
    {
        var journalTypes = typeof(IReplicaEvent).Assembly.GetTypes()
            .Where(t => (typeof(IReplicaEvent).IsAssignableFrom(t) || typeof(INodeStoreEvent).IsAssignableFrom(t)) && t is { IsInterface: false, IsAbstract: false })
            .Append(typeof(ReplicaState))
            .Append(typeof(CapturePointConfirmed))
            .Select(t => t.Name)
            .Order(StringComparer.Ordinal);

        Assert.Equal(journalTypes, Persisted.Values.Select(m => m.GetType().Name).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_golden_files_are_rewritten_only_when_asked()
    {
        if (Updating)
            Rewrite();

        Assert.False(Updating,
            $"{UpdateVariable}=1: the golden files in {GoldenDirectory} were rewritten from this build. Review `git diff` of them, commit, and run again without {UpdateVariable}.");
    }

    private void AssertWritesGolden(string manifest, object sample, IReadOnlyDictionary<string, byte[]> golden)
    {
        var bytes = Serializer.ToBinary(sample);

        Assert.Equal(manifest, Serializer.Manifest(sample));
        if (bytes.AsSpan().SequenceEqual(golden[manifest]))
            return;
        var cause = Inflated(golden[manifest]) is { } was && Inflated(bytes) is { } now && was.AsSpan().SequenceEqual(now)
            ? "only the Brotli encoder's output differs (the inflated layout is the same): a runtime or compressor change, still readable"
            : "the layout differs";
        Assert.Fail($"\"{manifest}\" ({sample.GetType().Name}) no longer serializes to its golden bytes: {cause}.{Environment.NewLine}"
                    + $"golden: {Convert.ToHexStringLower(golden[manifest])}{Environment.NewLine}now:    {Convert.ToHexStringLower(bytes)}{Environment.NewLine}"
                    + $"A changed layout needs a new manifest; see {nameof(GoldenBytesSpec)} for how to rewrite the golden files on purpose.");
    }

    /// <summary>The payload inflated, or null when it is not Brotli (the manifest is not a compressed one).</summary>
    private static byte[]? Inflated(byte[] payload)
    {
        try
        {
            return Compression.Decompress(payload);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private object Remote(string manifest) => manifest == Manifests.RecordsOffer ? Offer() : RemoteWithoutOffer[manifest];

    /// <summary>A records offer whose stream ref points at a fixed path, read through Akka.Streams' own serializer so its bytes never vary.</summary>
    private RecordsOffer Offer()
    {
        var path = Encoding.UTF8.GetBytes($"akka://{SystemName}/user/repair-votes-017/offer");
        // The element type's name travels with the ref: a peer resolves it, so renaming RecordBatch breaks "ro" too.
        var type = Encoding.UTF8.GetBytes("ActorBackup.Cluster.Repair.RecordBatch, ActorBackup.Cluster");
        // Protobuf of StreamRefMessages.SourceRef { originRef = ActorRef { path = 1 } = 1, eventType = EventType { typeName = 1 } = 2 }.
        byte[] sourceRef = [0x0a, (byte)(path.Length + 2), 0x0a, (byte)path.Length, .. path, 0x12, (byte)(type.Length + 2), 0x0a, (byte)type.Length, .. type];
        var records = (ISourceRef<RecordBatch>)Sys.Serialization.Deserialize(sourceRef, StreamRefSerializerId, "E");
        return new RecordsOffer(Votes17, Watermark.At(1490000000), records);
    }

    private byte[] StreamRefBytes(ISourceRef<RecordBatch> records) => Sys.Serialization.FindSerializerFor(records).ToBinary(records);

    private static IReadOnlyDictionary<string, byte[]> Golden(string kind) => GoldenFile.Read(Path.Combine(GoldenDirectory, kind + ".golden"));

    private void Rewrite()
    {
        string Hex(object message) => Convert.ToHexStringLower(Serializer.ToBinary(message));
        string Kept(IReadOnlyDictionary<string, byte[]> kept, string manifest, string path) => Convert.ToHexStringLower(kept.GetValueOrDefault(manifest)
            ?? throw new InvalidOperationException($"no golden bytes for the read-only manifest \"{manifest}\" in {path}: no build writes it any more, so they cannot be made"));
        var persistedPath = Path.Combine(GoldenDirectory, "persisted.golden");
        var keptPersisted = File.Exists(persistedPath) ? GoldenFile.Read(persistedPath) : new Dictionary<string, byte[]>();
        var persisted = Persisted.ToDictionary(p => p.Key, p => ReadOnly.Contains(p.Key) ? Kept(keptPersisted, p.Key, persistedPath) : Hex(p.Value));
        var remotePath = Path.Combine(GoldenDirectory, "remote.golden");
        var kept = File.Exists(remotePath) ? GoldenFile.Read(remotePath) : new Dictionary<string, byte[]>();
        var remote = RemoteWithoutOffer.Keys.Append(Manifests.RecordsOffer).ToDictionary(m => m, m => ReadOnly.Contains(m) ? Kept(kept, m, remotePath) : Hex(Remote(m)));
        GoldenFile.Write(persistedPath,
            "Journal events and snapshots: a node must read these after any upgrade.", persisted);
        GoldenFile.Write(remotePath,
            "Messages between nodes: a node of the previous version must read these during a rolling upgrade.", remote);
    }
}
