using System.Runtime.InteropServices;
using System.Text.Json;
using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Capture.Sources;
using ActorBackup.Cluster.Sources;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cluster.Reconcile;

/// <summary>
/// The ReQL of a reconciliation, on one lease of the node's shared connection to a source, each query waiting for the
/// source's budget first and holding its turn until its answer is read (<see cref="SourceLease.PaceAsync"/>): the tally of a key range (<see cref="IdTally"/>), its ids, and the
/// documents of given ids. Ranges are read on the primary key, which RethinkDB 2.4 and reqlite both serve.
/// </summary>
internal sealed class SourceRangeQueries(string database, string table, SourceLease lease)
{
    /// <summary>Queries sent so far.</summary>
    public long Sent { get; private set; }

    public string Endpoint => lease.Endpoint;

    /// <summary>The range's <see cref="IdTally"/> as the source computes it, in one query.</summary>
    /// <exception cref="InvalidOperationException">The answer is not two numbers (one line).</exception>
    public async Task<IdTally> TallyAsync(KeyRange range, CancellationToken ct)
    {
        using var turn = await PaceAsync(ct);
        var answer = await IdTally.OfSelection(ScanQuery.Range(database, table, range.Lower, range.Upper)).RunAtomAsync(lease.Connection, ct);
        if (answer.ValueKind != JsonValueKind.Array || answer.GetArrayLength() != 2
            || answer[0].ValueKind != JsonValueKind.Number || answer[1].ValueKind != JsonValueKind.Number)
            throw new InvalidOperationException($"the source answered a tally of {table} {range} with {answer.GetRawText()}, not [count, checksum]");
        // A sum past 2^53 is rounded by the server and disagrees; the tally of such a range is never taken (IdTally.MaxRecords).
        return new IdTally((long)answer[0].GetDouble(), (long)answer[1].GetDouble());
    }

    /// <summary>The string ids of the range; a document whose primary key is not a string has no id a record can carry.</summary>
    public async Task<HashSet<string>> IdsAsync(KeyRange range, CancellationToken ct)
    {
        using var turn = await PaceAsync(ct);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var cursor = await ScanQuery.Range(database, table, range.Lower, range.Upper).Pluck("id").RunCursorAsync(lease.Connection, ct);
        await foreach (var document in cursor.WithCancellation(ct))
            if (document.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                ids.Add(id.GetString()!);
        return ids;
    }

    /// <summary>
    /// The string ids of the range's documents stamped at or after <paramref name="since"/> (or whose timestamp is missing
    /// or unreadable), as a catch-up by key range selects them (<see cref="ScanQuery.Scan"/>): the server reads the range,
    /// as a count does, and sends only those ids.
    /// </summary>
    public async Task<HashSet<string>> IdsSinceAsync(KeyRange range, Watermark since, CancellationToken ct)
    {
        using var turn = await PaceAsync(ct);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        await using var cursor = await ScanQuery.Scan(database, table, range.Lower, range.Upper, since).Pluck("id").RunCursorAsync(lease.Connection, ct);
        await foreach (var document in cursor.WithCancellation(ct))
            if (document.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                ids.Add(id.GetString()!);
        return ids;
    }

    /// <summary>The documents of <paramref name="ids"/> the source holds, each as the server serialized it.</summary>
    public async Task<IReadOnlyList<ReadOnlyMemory<byte>>> DocumentsAsync(IReadOnlyList<string> ids, CancellationToken ct)
    {
        using var turn = await PaceAsync(ct);
        var documents = new List<ReadOnlyMemory<byte>>(ids.Count);
        await using var cursor = await R.Db(database).Table(table).GetAll(ids.Cast<object?>().ToArray()).RunCursorAsync(lease.Connection, ct);
        await foreach (var document in cursor.WithCancellation(ct))
            documents.Add(JsonMarshal.GetRawUtf8Value(document).ToArray());
        return documents;
    }

    private Task<IDisposable> PaceAsync(CancellationToken ct)
    {
        Sent++;
        return lease.PaceAsync(ct);
    }
}
