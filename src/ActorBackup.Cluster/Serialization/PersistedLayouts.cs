using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica.Events;
using ActorBackup.Cluster.Serialization.Documents;

namespace ActorBackup.Cluster.Serialization;

/// <summary>
/// The compact layouts of the record events: documents packed (<see cref="JsonPacker"/>, naming the node's
/// <see cref="InternedHashes"/> by number) and compressed with zstd, stored records with their table's dictionary
/// (<see cref="TableDictionaries"/>), whose id leads the payload.
/// </summary>
/// <remarks>
/// Stored records: dictionary id, then one zstd frame of the count, the first record's table, and per record a flags
/// byte (1: a table of its own follows, 2: an id that is not the document's top-level "id" follows, 4: the interned
/// hashes the payload's documents were packed with follow, as their count and chain digest), the timestamp as a
/// zigzag difference to the previous one, the verdict and the packed document. A record's id and table are nearly
/// always the document's own "id" and the batch's table, so they cost nothing. Flag 4 is set on the first record whose
/// document names interned hashes, and only there: records before it name none, and a payload without such records
/// has the bytes it had before hashes were interned.
/// </remarks>
internal static class PersistedLayouts
{
    // A batch is at most 16 MiB of raw JSON (actorbackup.batch.max-bytes) plus framing; anything
    // inflating past this is corrupt or hostile, not a batch.
    private const int MaxInflatedBytes = Compression.MaxInflatedBytes;

    private const byte OwnTable = 1, OwnId = 2, Vouched = 4;

    /// <param name="firstWrite">
    /// The records are written for the first time (not merged again): their hashes count as met, and they are compressed
    /// at <c>storage.compression-level</c> rather than the merges' <c>storage.merge-compression-level</c>.
    /// </param>
    public static byte[] WriteStored(RecordsStored e, AtRest atRest, bool firstWrite)
    {
        var level = firstWrite ? atRest.Settings.CompressionLevel : atRest.Settings.MergeCompressionLevel;
        var table = e.Records.Count > 0 ? e.Records[0].Table : "";
        int? newIn = firstWrite && e.Records.Count > 0 ? atRest.ReplicaKeyOf(table, e.Records[0].Id) : null;
        var dictionary = atRest.Dictionaries.Current(table);
        // One prefix for the whole payload: hashes interned while it is packed are not named in it.
        var interned = atRest.Hashes.Prefix();
        var vouched = false;
        using var body = new PayloadWriter();
        body.Int(e.Records.Count).String(table);
        var previous = 0L;
        foreach (var r in e.Records)
        {
            var packed = JsonPacker.Pack(r.Json.Span, interned, newIn);
            if (dictionary is null) atRest.Dictionaries.Offer(r.Table, packed);
            var vouch = !vouched && packed[0] == JsonPacker.InternedTag;
            vouched |= vouch;
            var ownTable = r.Table != table;
            var ownId = DocumentId.TryRead(r.Json.Span) != r.Id;
            body.Byte((byte)((ownTable ? OwnTable : 0) | (ownId ? OwnId : 0) | (vouch ? Vouched : 0)));
            if (vouch) body.Int(interned.Count).Long((long)interned.Chain);
            if (ownTable) body.String(r.Table);
            if (ownId) body.String(r.Id);
            body.Long(ZigZag(r.Timestamp - previous)).Byte((byte)r.Verdict);
            previous = r.Timestamp;
            body.Bytes(packed);
        }
        using var payload = new PayloadWriter();
        return payload.Long(dictionary?.Id ?? 0).Raw(Zstd.Compress(body.ToArray(), dictionary, level)).ToArray();
    }

    public static RecordsStored ReadStored(byte[] bytes, AtRest atRest)
    {
        using var payload = new PayloadReader(bytes);
        var dictionaryId = payload.Long();
        if (dictionaryId is < 0 or > uint.MaxValue) throw new InvalidDataException($"{dictionaryId} is not a dictionary id");
        var dictionary = dictionaryId == 0 ? null : atRest.Dictionaries.Find((uint)dictionaryId);
        using var r = new PayloadReader(Zstd.Decompress(payload.Rest(), dictionary, MaxInflatedBytes));
        var count = r.Int();
        if (count < 0 || count > bytes.Length * 1024L) throw new InvalidDataException($"a batch of {count} records");
        var table = r.String();
        var records = new CapturedRecord[count];
        var previous = 0L;
        InternedPrefix? interned = null;
        for (var i = 0; i < count; i++)
        {
            var flags = r.Byte();
            if ((flags & ~(OwnTable | OwnId | Vouched)) != 0) throw new InvalidDataException($"record flags {flags}");
            if ((flags & Vouched) != 0)
            {
                if (interned is not null) throw new InvalidDataException("a payload that vouches for its interned hashes twice");
                interned = atRest.Hashes.Vouched(r.Int(), (ulong)r.Long());
            }
            var recordTable = (flags & OwnTable) != 0 ? r.String() : table;
            var id = (flags & OwnId) != 0 ? r.String() : null;
            var timestamp = previous + UnZigZag(r.Long());
            previous = timestamp;
            var verdict = (RecordVerdict)r.Byte();
            if (!Enum.IsDefined(verdict)) throw new InvalidDataException($"unknown verdict {(byte)verdict}");
            var json = JsonPacker.Unpack(r.Bytes(), interned);
            id ??= DocumentId.TryRead(json) ?? throw new InvalidDataException("a record without an id of its own has a document without one");
            records[i] = new CapturedRecord(recordTable, id, timestamp, json, verdict);
        }
        r.End();
        return new RecordsStored(records);
    }

    public static byte[] WriteQuarantined(RecordsQuarantined e, int level)
    {
        using var body = new PayloadWriter();
        body.List(e.Records, (w, q) => w.String(q.Table).String(q.Id).Long(q.Timestamp).Bytes(q.Sha256).Long(q.Size).Bytes(q.Prefix.Span)
            .String(q.ReasonCode).String(q.Message)).Long(e.Dropped);
        return Zstd.Compress(body.ToArray(), null, level);
    }

    public static RecordsQuarantined ReadQuarantined(byte[] bytes)
    {
        using var r = new PayloadReader(Zstd.Decompress(bytes, null, MaxInflatedBytes));
        var entries = r.List(x => new QuarantineEntry(x.String(), x.String(), x.Long(), x.Bytes(), x.Long(), x.Bytes(), x.String(), x.String()));
        var dropped = r.Long();
        r.End();
        return new RecordsQuarantined(entries, dropped);
    }

    /// <summary>
    /// A merged run of events: its first sequence number and what each of its events held, the stored records as
    /// <see cref="WriteStored"/> writes them (one zstd frame for the whole run), the quarantine entries as
    /// <see cref="WriteQuarantined"/> writes them, then the watermark.
    /// </summary>
    public static byte[] WriteMerged(EventsMerged e, AtRest atRest)
    {
        using var w = new PayloadWriter();
        return w.Long(e.FirstSequenceNr).List(e.Parts, (x, p) => x.Int(p.Stored).Int(p.Quarantined).Long(p.Dropped))
            .Bytes(WriteStored(e.Stored, atRest, firstWrite: false)).Bytes(WriteQuarantined(e.Quarantined, atRest.Settings.MergeCompressionLevel))
            .Watermark(e.Watermark).ToArray();
    }

    public static EventsMerged ReadMerged(byte[] bytes, AtRest atRest)
    {
        using var r = new PayloadReader(bytes);
        var first = r.Long();
        var parts = r.List(x => new MergedPart(x.Int(), x.Int(), x.Long()));
        var merged = new EventsMerged(first, parts, ReadStored(r.Bytes(), atRest), ReadQuarantined(r.Bytes()), r.Watermark());
        r.End();
        if (first < 1 || parts.Count == 0
            || merged.Stored.Records.Count != parts.Sum(p => (long)p.Stored) || merged.Quarantined.Records.Count != parts.Sum(p => (long)p.Quarantined)
            || merged.Quarantined.Dropped != parts.Sum(p => p.Dropped))
            throw new InvalidDataException($"a merged run from {first} whose parts do not add up to its records");
        return merged;
    }

    /// <summary>A quarantine event of the first layout, which kept whole documents: read into entries as a replica keeps them now.</summary>
    public static RecordsQuarantined FromFirstLayout(IReadOnlyList<QuarantinedRecord> records, int prefixBytes) =>
        new(records.Select(q => QuarantineEntry.Of(q, prefixBytes)).ToArray());

    private static long ZigZag(long value) => (value << 1) ^ (value >> 63);

    private static long UnZigZag(long value) => (long)((ulong)value >> 1) ^ -(value & 1);
}
