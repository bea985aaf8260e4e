using ActorBackup.Admin.Contract;
using ActorBackup.Admin.Contract.Reconcile;
using ActorBackup.Cluster.Membership;
using ActorBackup.Cluster.Reconcile;
using ActorBackup.Cluster.Reconcile.Commands;
using Akka.Actor;

namespace ActorBackup.Cluster.Admin;

/// <summary>
/// <c>POST /reconcile</c> (admin token): every replica this node holds reconciles with the source now, in a round that
/// starts after the request, and the answer (<see cref="ReconcileReport"/>) says per replica what was missing and is now
/// stored, or why it could not reconcile. Rounds are paced by the source's query budget, so the answer may take a while
/// (<c>actorbackup.reconcile.request-timeout</c>). What <c>actorbackup verify --against-source</c> asks every node.
/// </summary>
public sealed class ReconcileRoute(IActorRef placement, string node, TimeSpan ownedTimeout, TimeSpan requestTimeout) : IAdminRoutes
{
    private const string Path = "/" + ReconcileReport.Path;

    public async Task<bool> TryHandleAsync(AdminRequest request, CancellationToken cancellationToken)
    {
        if (request.Path != Path)
            return false;
        if (request.Http.HttpMethod != "POST")
        {
            await JsonReply.SendAsync(request.Response, 405, AdminError.Write($"{Path} takes a POST (with the admin token)"));
            return true;
        }
        await request.Body.CopyToAsync(Stream.Null, cancellationToken);
        var owned = await placement.Ask<OwnedReplicas>(GetOwnedReplicas.Instance, ownedTimeout, cancellationToken);
        var replicas = await Task.WhenAll(owned.Replicas.OrderBy(r => r.Key.Table, StringComparer.Ordinal).ThenBy(r => r.Key.Shard)
            .Select(async r => Report(r.Key.Table, r.Key.Shard, await AskAsync(r.Value, cancellationToken))));
        await JsonReply.SendAsync(request.Response, 200, new ReconcileReport(node, replicas).Write());
        return true;
    }

    private async Task<ReconcileOutcome> AskAsync(IActorRef replica, CancellationToken ct)
    {
        try
        {
            return await replica.Ask<ReconcileOutcome>(new ReconcileNow("requested", Answer: true), requestTimeout, ct);
        }
        catch (AskTimeoutException)
        {
            return ReconcileOutcome.Failed(null, 0, $"no answer within {requestTimeout.TotalSeconds:0} s (actorbackup.reconcile.request-timeout)");
        }
    }

    private static ReplicaReconciliation Report(string table, int shard, ReconcileOutcome o) =>
        new(table, shard, o.Source, o.ReconciledAt is { } at ? DateTimeOffset.FromUnixTimeSeconds(at) : null, o.SourceRecords, o.Found,
            o.FoundIds, o.Quarantined, o.SourceLacks, o.Queries, o.Error);
}
