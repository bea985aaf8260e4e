using System.Globalization;
using System.Net;
using System.Text;
using ActorBackup.Admin.Contract;
using ActorBackup.Admin.Contract.Import;
using ActorBackup.Admin.Contract.Ndjson;
using ActorBackup.Cluster.Ingest;
using ActorBackup.Cluster.Ingest.Commands;
using ActorBackup.Cluster.Ingest.Replies;
using Akka.Actor;
using Akka.Event;

namespace ActorBackup.Cluster.Admin;

/// <summary>
/// <c>POST /import/{table}</c>: an NDJSON body of raw documents, read line by line with a cap per line, sent to the
/// node's <see cref="IngestActor"/> in batches, one at a time. The answer, a JSON <see cref="ImportSummary"/>, comes
/// only once every batch is durable on R replicas; a failure answers one line of JSON (<see cref="ImportError"/>)
/// with a 4xx or 5xx status, saying how many documents were acknowledged before it.
/// <c>POST /import/{table}/as-of?at=UNIX&amp;records=N</c>, sent once every document of the table is acknowledged, gives
/// its replicas the import's point in time (<see cref="SetImportPoint"/>): <c>records</c> is how many verified records
/// up to <c>at</c> the import made durable. It answers a JSON <see cref="ImportPointSet"/> once every replica
/// confirmed its watermark, or one line of JSON (<see cref="ImportError"/>).
/// </summary>
public sealed class ImportRoute(IActorRef ingest, IngestOptions options, ILoggingAdapter log) : IAdminRoutes
{
    private const string Prefix = "/import/";
    private const string AsOf = "as-of";

    public async Task<bool> TryHandleAsync(AdminRequest request, CancellationToken cancellationToken)
    {
        if (!request.Path.StartsWith(Prefix, StringComparison.Ordinal))
            return false;
        var context = request.Context;
        var segments = context.Request.Url!.AbsolutePath.TrimEnd('/')[Prefix.Length..].Split('/');
        var table = Uri.UnescapeDataString(segments[0]);
        if (segments.Length > 2 || (segments.Length == 2 && segments[1] != AsOf))
            await Fail(request, 404, new ImportError($"no such route: the import routes are {Prefix}{{table}} and {Prefix}{{table}}/{AsOf}", table, 0, false));
        else if (context.Request.HttpMethod != "POST")
            await Fail(request, 405, new ImportError(segments.Length == 1 ? $"{Prefix}{{table}} takes a POST of NDJSON documents" : $"{Prefix}{{table}}/{AsOf} takes a POST", table, 0, false));
        else if (!options.Tables.Contains(table))
            await Fail(request, 404, new ImportError($"table '{table}' is not backed up by this cluster (it backs up {string.Join(", ", options.Tables)})", table, 0, false));
        else if (segments.Length == 1)
            await ImportAsync(request, table, cancellationToken);
        else
            await SetPointAsync(request, table);
        return true;
    }

    private async Task ImportAsync(AdminRequest request, string table, CancellationToken ct)
    {
        var context = request.Context;
        var summary = ImportSummary.Empty(table);
        var reader = new NdjsonReader(request.Body, options.MaxDocumentBytes);
        var batch = new List<ReadOnlyMemory<byte>>();
        var bytes = 0;
        try
        {
            while (await reader.NextAsync(ct) is { } line)
            {
                batch.Add(line);
                bytes += line.Length;
                if (batch.Count >= options.MaxMessageRecords || bytes >= options.MaxMessageBytes)
                {
                    summary = await SendAsync(summary, batch);
                    batch.Clear();
                    bytes = 0;
                }
            }
            if (batch.Count > 0)
                summary = await SendAsync(summary, batch);
        }
        catch (NdjsonLineTooLongException e)
        {
            await Fail(request, 413, new ImportError(e.Message, table, summary.Received, false));
            return;
        }
        catch (BatchFailedException e)
        {
            await Fail(request, e.Failure.Retryable ? 503 : 422, new ImportError(e.Failure.Reason, table, summary.Received, e.Failure.Retryable));
            return;
        }
        await JsonReply.SendAsync(context.Response, 200, ImportJson.Write(summary));
    }

    private async Task SetPointAsync(AdminRequest request, string table)
    {
        var context = request.Context;
        var query = context.Request.QueryString;
        if (!long.TryParse(query["at"], NumberStyles.None, CultureInfo.InvariantCulture, out var at)
            || !long.TryParse(query["records"] ?? "0", NumberStyles.None, CultureInfo.InvariantCulture, out var records))
        {
            await Fail(request, 400, new ImportError($"{Prefix}{{table}}/{AsOf} needs ?at=UNIX-SECONDS and may have &records=N, both whole numbers of zero or more", table, 0, false));
            return;
        }
        object reply;
        try
        {
            reply = await ingest.Ask<object>(new SetImportPoint(table, Watermark.At(at), records), options.BatchTimeout);
        }
        catch (AskTimeoutException)
        {
            reply = new IngestFailed($"the replicas of {table} did not all confirm the watermark within {options.BatchTimeout.TotalSeconds:0} s", Retryable: true);
        }
        switch (reply)
        {
            case ImportPointSet set:
                await JsonReply.SendAsync(context.Response, 200, ImportJson.Write(set));
                break;
            case IngestFailed failed:
                await Fail(request, failed.Retryable ? 503 : 422, new ImportError(failed.Reason, table, 0, failed.Retryable));
                break;
            default:
                await Fail(request, 500, new ImportError($"unexpected answer {reply.GetType().Name} from the ingest actor", table, 0, false));
                break;
        }
    }

    private async Task<ImportSummary> SendAsync(ImportSummary summary, List<ReadOnlyMemory<byte>> batch)
    {
        object reply;
        try
        {
            reply = await ingest.Ask<object>(new IngestRecords(summary.Table, batch.ToArray()), options.BatchTimeout);
        }
        catch (AskTimeoutException)
        {
            throw new BatchFailedException(new IngestFailed($"the batch was not durable on R replicas within {options.BatchTimeout.TotalSeconds:0} s", Retryable: true));
        }
        return reply switch
        {
            IngestAck ack => summary.Plus(ack.ToSummary(summary.Table, batch.Count)),
            IngestFailed failed => throw new BatchFailedException(failed),
            _ => throw new BatchFailedException(new IngestFailed($"unexpected answer {reply.GetType().Name} from the ingest actor", Retryable: false)),
        };
    }

    private async Task Fail(AdminRequest request, int status, ImportError error)
    {
        log.Warning("Import into {0} refused ({1}): {2}", error.Table, status, error.Message);
        // The client may still be sending: read its body to the end so that it sees the answer, not a reset.
        await request.Body.CopyToAsync(Stream.Null);
        await JsonReply.SendAsync(request.Response, status, ImportJson.WriteError(error));
    }


    private sealed class BatchFailedException(IngestFailed failure) : Exception(failure.Reason)
    {
        public IngestFailed Failure { get; } = failure;
    }
}
