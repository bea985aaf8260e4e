namespace ActorBackup.Cluster.Replica;

/// <summary>One row of the record index: where a stored record's event sits in the journal.</summary>
/// <param name="SequenceNr">Sequence number of the <see cref="Events.RecordsStored"/> event holding it.</param>
/// <param name="Digest">Its <see cref="Records.RecordDigest"/>.</param>
public sealed record IndexedRecord(string Id, long Timestamp, long SequenceNr, byte[] Digest);
