namespace ActorBackup.Cluster.Replica;

/// <summary>
/// How the rows of one replica are read from the record index when they are not looked up by id: every pass over a
/// replica's records (the id filter filled at open, bucket digests, count and digest at a time, a point-in-time read).
/// </summary>
/// <remarks>
/// The file has no index of its rows by replica: rows are numbered across the file in the order they were stored, so the
/// rows of the node's replicas are interleaved, and an index by replica (and timestamp) would cost about 16 bytes a
/// record. The replica's id tree (<c>stored_row_ids</c>, keyed by replica, id key and row number) already lists its row
/// numbers: SQLite collects them in a temporary B-tree, in order, and visits the rows in that order, so each page of
/// <c>stored_rows</c> is read once however the ids fall. A selection by time is sorted after the pass (SQLite's sorter,
/// which spills to temporary files for a large replica).
/// </remarks>
internal static class ReplicaRows
{
    /// <summary>The FROM and WHERE of a query over the rows (alias <c>s</c>) of the replica whose key is bound to <c>$r</c>.</summary>
    public const string OfReplica = "FROM stored_rows AS s WHERE s.n IN (SELECT n FROM stored_row_ids WHERE replica = $r)";
}
