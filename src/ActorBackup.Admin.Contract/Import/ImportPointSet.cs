namespace ActorBackup.Admin.Contract.Import;

/// <summary>Every replica of every shard of the table confirmed a watermark at or past <paramref name="At"/>.</summary>
/// <param name="Replicas">Replicas that confirmed, over all <paramref name="Shards"/>.</param>
/// <param name="Lowest">The lowest watermark they now have: <paramref name="At"/>, or later where a replica was already past it.</param>
/// <param name="Records">Verified records with a timestamp up to <paramref name="At"/> the table holds.</param>
public sealed record ImportPointSet(string Table, Watermark At, int Shards, int Replicas, Watermark Lowest, long Records);
