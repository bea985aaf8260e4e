using System.Globalization;
using System.Net;
using System.Text;
using ActorBackup.Admin.Contract;
using ActorBackup.Admin.Contract.Replicas;
using ActorBackup.Cluster.Membership;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Sharding;
using ActorBackup.Cluster.Tables;
using ActorBackup.Cluster.Verification;
using ActorBackup.Ledger.Validation;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorBackup.Cluster.Admin;

/// <summary>
/// The read side of the admin endpoint, what restore, export and verify use:
/// <c>GET /replicas/{table}/{shard}/records[?at=UNIX]</c> streams the records of the replica this node
/// holds as NDJSON, each line the document exactly as captured; <c>GET /replicas/{table}/{shard}/quarantine</c>
/// counts its quarantined records by reason; <c>GET /tables/{table}/info</c> gives the table metadata
/// captured from the sources. Records are written to the response as the journal is read, so a slow
/// client slows the read instead of filling memory. A table is looked up among the configured ones before anything
/// else: no name from a request ever becomes part of a path.
/// </summary>
/// <remarks>
/// Every record is verified against the federation's keys as it is read back (<paramref name="validator"/>), whatever
/// its stored verdict: a journal altered on disk must not reach a restore or an export. The first record that fails
/// ends the stream with an error line (<see cref="AdminError"/>, which no ledger document can be) naming it, so the
/// client reads that shard from another replica or refuses; it is logged and counted as
/// <c>actorbackup_records_rejected_total{source="journal"}</c>. A node without federation keys serves no records.
/// </remarks>
public sealed class ReplicaRoutes(
    ActorSystem system, IActorRef placement, IReadOnlyList<string> backedUp, TableMetadataStore tables, TimeSpan timeout, KeySpace keys,
    LedgerValidator? validator) : IAdminRoutes
{
    private const string Json = "application/json; charset=utf-8";
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private readonly ReplicaReader _reader = new(system);

    public async Task<bool> TryHandleAsync(AdminRequest request, CancellationToken cancellationToken)
    {
        var context = request.Context;
        var parts = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (context.Request.HttpMethod != "GET")
            return false;
        switch (parts)
        {
            case ["replicas", var table, var shard, var what and ("records" or "quarantine")]:
                if (await Known(context.Response, table) is { } replicaTable)
                    await Replica(context, replicaTable, shard, what, cancellationToken);
                return true;
            case ["tables", var table, "info"]:
                if (await Known(context.Response, table) is { } infoTable)
                    await Info(context.Response, infoTable);
                return true;
            default:
                return false;
        }
    }

    /// <summary>The configured table named by the path segment <paramref name="segment"/>, or null once a 404 is answered.</summary>
    private async Task<string?> Known(HttpListenerResponse response, string segment)
    {
        var name = Uri.UnescapeDataString(segment);
        if (backedUp.FirstOrDefault(t => t == name) is { } table)
            return table;
        await Error(response, 404, $"no table '{Printable(name)}' is backed up by this cluster (it backs up {string.Join(", ", backedUp)})");
        return null;
    }

    private static string Printable(string name) =>
        new(name.Take(64).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    private async Task Replica(HttpListenerContext context, string table, string shardText, string what, CancellationToken ct)
    {
        var response = context.Response;
        if (!int.TryParse(shardText, NumberStyles.None, CultureInfo.InvariantCulture, out var shard))
        {
            await Error(response, 400, $"the shard must be a number (got '{shardText}')");
            return;
        }
        Watermark? at = null;
        if (context.Request.QueryString["at"] is { } atText)
        {
            if (!long.TryParse(atText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
            {
                await Error(response, 400, $"at must be Unix seconds (got '{atText}')");
                return;
            }
            at = Watermark.At(seconds);
        }
        var id = new ReplicaId(table, shard);
        var owned = await placement.Ask<OwnedReplicas>(GetOwnedReplicas.Instance, timeout, ct);
        if (!owned.Replicas.ContainsKey(id))
        {
            await Error(response, 404, $"this node does not hold a replica of {table}/{shard:D3}");
            return;
        }
        if (what == "records")
        {
            if (validator is null)
                await Error(response, 503, "this node has no federation keys (actorbackup.federation-keys) to verify records with, so it serves none");
            else
                await Records(response, id, at, new ReceivedRecords(id, keys, validator), ct);
        }
        else
            await Quarantine(response, id, at, ct);
    }

    private async Task Records(HttpListenerResponse response, ReplicaId id, Watermark? at, ReceivedRecords verifier, CancellationToken ct)
    {
        var node = ((ExtendedActorSystem)system).Provider.DefaultAddress.ToString();
        var origin = $"read back from the journal of {id} on {node}";
        response.StatusCode = 200;
        response.ContentType = "application/x-ndjson";
        response.SendChunked = true;
        var output = response.OutputStream;
        try
        {
            // One write at a time: the journal is read only as fast as the client takes the lines.
            var materializer = NodeMaterializer.Of(system);
            var refused = await _reader.Stored(id, at)
                .SelectAsync(1, async record =>
                {
                    var check = verifier.Check([record], origin);
                    if (check.Rejected.Count == 0)
                    {
                        await output.WriteAsync(record.Json, ct);
                        await output.WriteAsync(NewLine, ct);
                    }
                    return check.Rejected;
                })
                .Where(rejected => rejected.Count > 0)
                .Select(rejected => rejected[0])
                .RunWith(Sink.FirstOrDefault<QuarantinedRecord>(), materializer);
            if (refused is not null)
            {
                var line = $"{refused.Message} ({refused.ReasonCode}): not served";
                system.Log.Warning(line);
                RejectedRecords.Get(system).Add("journal", node, 1);
                await output.WriteAsync(Encoding.UTF8.GetBytes(AdminError.Write(line) + "\n"), ct);
            }
            response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The client went away; nothing to answer.
            response.Abort();
        }
    }

    private async Task Quarantine(HttpListenerResponse response, ReplicaId id, Watermark? at, CancellationToken ct)
    {
        var materializer = NodeMaterializer.Of(system);
        var byReason = await _reader.Quarantined(id, at)
            .RunAggregate(new SortedDictionary<string, long>(StringComparer.Ordinal), (counts, q) =>
            {
                counts[q.ReasonCode] = counts.GetValueOrDefault(q.ReasonCode) + 1;
                return counts;
            }, materializer);
        ct.ThrowIfCancellationRequested();
        var body = QuarantineCounts.Write(new QuarantineCounts(id.Table, id.Shard, byReason.Values.Sum(), byReason));
        await Reply(response, 200, body + "\n");
    }

    private async Task Info(HttpListenerResponse response, string table)
    {
        if (tables.TryLoad(table) is { } info)
        {
            response.StatusCode = 200;
            response.ContentType = Json;
            response.ContentLength64 = info.Length;
            await response.OutputStream.WriteAsync(info);
            response.Close();
            return;
        }
        await Error(response, 404, $"no metadata of table {table} was captured on this node");
    }

    private static Task Error(HttpListenerResponse response, int status, string message) =>
        Reply(response, status, AdminError.Write(message) + "\n");

    private static async Task Reply(HttpListenerResponse response, int status, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = Json;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }
}
