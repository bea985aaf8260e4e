namespace ActorBackup.Cluster.Serialization;

/// <summary>
/// The manifest of every type <see cref="BackupMessageSerializer"/> writes. They are stored next to
/// each event in the journal: never change or reuse one. A new layout of a type gets a new manifest, and
/// the golden bytes of every manifest are committed with the tests (GoldenBytesSpec), so a changed layout fails there.
/// </summary>
internal static class Manifests
{
    // Events and snapshots (persisted). "RS", "RQ" and "RT" are the first layouts, still read (every journal written
    // before the compact layouts holds them) but no longer written.
    public const string RecordsStoredV1 = "RS";
    public const string RecordsQuarantinedV1 = "RQ";
    public const string ReplicaStateV1 = "RT";
    public const string RecordsStored = "RC";
    public const string RecordsQuarantined = "RK";
    public const string WatermarkAdvanced = "WA";
    public const string EventsMerged = "RM";
    public const string ReplicaState = "RU";
    public const string CapturePointConfirmed = "CP";

    // The node's own journal entry (Journal/NodeStore).
    public const string DictionaryTrained = "ZD";
    public const string KeyInUse = "KU";
    public const string HashesInterned = "HI";

    // Commands.
    public const string StoreRecords = "SR";
    public const string QuarantineRecords = "QR";
    public const string AdvanceWatermark = "AW";
    public const string GetReplicaStatus = "GS";
    public const string GetDigestAt = "GD";
    public const string GetCaptureStatus = "GC";
    public const string RaiseImportPoint = "IP";

    // Replies.
    public const string RecordsStoredAck = "SA";
    public const string RecordsQuarantinedAck = "QA";
    public const string BatchRejected = "BR";
    public const string WatermarkAck = "WK";
    public const string ReplicaStatus = "ST";
    public const string DigestAt = "DA";

    // Replicated status (Akka.DistributedData values). "NR" to "NF" are earlier layouts, still read (a node of a
    // previous version may gossip them during a rolling upgrade) but no longer written.
    public const string ReplicaReportV1 = "NR";
    public const string ReplicaReportV2 = "NC";
    public const string ReplicaReportV3 = "ND";
    public const string ReplicaReportV4 = "NE";
    public const string ReplicaReportV5 = "NF";
    public const string ReplicaReport = "NG";

    // Capture status (asked for across nodes). "CS" is the layout before the feed's start time, "CF" the one
    // before the catch-up's range fallback and reconciliation, "CR" the one before the watermark's hold, still read.
    public const string CaptureStatusV1 = "CS";
    public const string CaptureStatusV2 = "CF";
    public const string CaptureStatusV3 = "CR";
    public const string CaptureStatus = "CH";

    // Repair protocol between sibling replicas (RepairLayouts); a lowercase "r" opens each of them.
    public const string RecordBatch = "rB";
    public const string GetBucketDigests = "rD";
    public const string BucketDigests = "rd";
    public const string GetBucketIds = "rI";
    public const string BucketIds = "ri";
    public const string OfferRecords = "rO";
    public const string OfferAllRecords = "rA";
    public const string RecordsOffer = "ro";
    public const string RepairRefused = "rX";
    public const string GetRepairStatus = "rS";
    public const string RepairStatus = "rs";
}
