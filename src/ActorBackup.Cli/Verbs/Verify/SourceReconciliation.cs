using System.Text.Json;
using ActorBackup.Admin.Contract.Reconcile;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Recovery.FromCluster;

namespace ActorBackup.Cli.Verbs.Verify;

/// <summary>
/// `verify --against-source`: every reachable member reconciles each replica it holds with the source
/// (<c>POST /reconcile</c>), and the findings say what was missing from the backup (now fetched, verified and stored),
/// what failed verification, and every shard no replica could reconcile.
/// </summary>
internal sealed class SourceReconciliation(HttpClient http, ClusterStatus status)
{
    public async Task<ReconcileFindings> RunAsync(CancellationToken ct)
    {
        var problems = new List<string>();
        var members = status.Members.Where(m => m.Reachable && m.AdminUrl is not null).ToArray();
        foreach (var m in status.Members.Where(m => !m.Reachable || m.AdminUrl is null))
            problems.Add($"member {m.Address} {(m.Reachable ? "published no admin URL" : "is unreachable")}: its replicas were not reconciled");
        var reports = await Task.WhenAll(members.Select(async m =>
        {
            try
            {
                return (Member: m, Report: await new AdminClient(http, m.AdminUrl!).ReconcileAsync(ct), Error: (string?)null);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                return (Member: m, Report: (ReconcileReport?)null, Error: AdminClient.Reason(e));
            }
        }));
        var replicas = new List<ReplicaReconciliation>();
        foreach (var (member, report, error) in reports)
        {
            if (report is null)
                problems.Add($"{member.AdminUrl}: reconciliation failed: {error}");
            else
                replicas.AddRange(report.Replicas);
        }
        foreach (var r in replicas.Where(r => r.Error is null && (r.Found > 0 || r.Quarantined > 0)))
            problems.Add($"{IdOf(r)}: {r.Found} records were missing from the backup and are now stored"
                + (r.Quarantined > 0 ? $", {r.Quarantined} failed verification and are quarantined" : "")
                + (r.FoundIds.Count > 0 ? $" ({string.Join(", ", r.FoundIds)}{(r.Found > r.FoundIds.Count ? ", ..." : "")})" : ""));
        foreach (var r in replicas.Where(r => r.Error is null && r.SourceLacks > 0))
            problems.Add($"{IdOf(r)}: the backup holds {r.SourceLacks} records the source {r.Source} does not");
        // Each replica counts on its own: restore may read any of them, so one that could not reconcile is a problem
        // even when a sibling did.
        foreach (var (member, report, _) in reports)
            foreach (var r in report?.Replicas.Where(r => r.Error is not null) ?? [])
                problems.Add($"{IdOf(r)} on {member.Address}: could not reconcile with the source: {r.Error}");
        foreach (var shard in status.Shards.Where(s => !replicas.Any(r => r.Table == s.Table && r.Shard == s.Shard)))
            problems.Add($"{shard.Id}: no reachable replica reconciled it");
        return new ReconcileFindings(replicas, problems);
    }

    /// <summary>"table/shard" as status names the replica's shard.</summary>
    private string IdOf(ReplicaReconciliation r) =>
        status.Shards.FirstOrDefault(s => s.Table == r.Table && s.Shard == r.Shard)?.Id ?? $"{r.Table}/{r.Shard:D3}";
}

/// <summary>What `verify --against-source` found; <see cref="Problems"/> empty means the backup held everything the source held.</summary>
internal sealed record ReconcileFindings(IReadOnlyList<ReplicaReconciliation> Replicas, IReadOnlyList<string> Problems)
{
    public long Found => Replicas.Sum(r => r.Found);

    public long Queries => Replicas.Sum(r => r.Queries);

    public int Reconciled => Replicas.Count(r => r.Error is null);
}
