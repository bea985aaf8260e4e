using System.Text.Json;
using ActorBackup.Ledger.Audit;
using ActorBackup.Ledger.Documents;
using ActorBackup.Recovery.FromCluster;

namespace ActorBackup.Cli.Verbs.Verify;

/// <summary>
/// Checks the whole backup: every shard on R reachable replicas, replicas at the same watermark holding
/// equal digests, the vote chains complete (every record of one replica per shard through <see cref="BackupAudit"/>,
/// whose <see cref="LedgerAudit"/> sorts them out to disk so the order does not matter), nothing in quarantine, and a restorable point.
/// </summary>
internal sealed class BackupVerifier(ClusterBackupSource source)
{
    public async Task<VerifyFindings> RunAsync(CancellationToken ct)
    {
        var status = source.Status;
        var problems = new List<string>();
        if (status.RestorablePoint is null)
            problems.Add("no restorable point: some shard has no reachable replica with a watermark");
        foreach (var shard in status.Shards)
        {
            var live = shard.Replicas.Where(r => r.Reachable).ToArray();
            if (live.Length < status.Replicas)
                problems.Add($"{shard.Id}: {live.Length} of {status.Replicas} replicas reachable");
            foreach (var group in live.Where(r => r.Watermark is not null).GroupBy(r => r.Watermark!.Value.ToUnixTimeSeconds()))
            {
                if (group.Select(r => r.Digest).Distinct(StringComparer.Ordinal).Count() > 1)
                    problems.Add($"{shard.Id}: replicas at watermark {ClusterBackupSource.Iso(group.Key)} disagree: "
                                 + string.Join(", ", group.Select(r => $"{r.Node} {r.Records} records digest {r.Digest[..Math.Min(12, r.Digest.Length)]}")));
            }
        }

        var quarantine = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var shard in status.Shards)
        {
            var holder = source.Candidates(shard, null).FirstOrDefault();
            if (holder is null)
                continue;
            try
            {
                foreach (var (reason, count) in await holder.QuarantineAsync(shard.Table, shard.Shard, ct))
                    quarantine[reason] = quarantine.GetValueOrDefault(reason) + count;
            }
            catch (Exception e) when (e is HttpRequestException or JsonException)
            {
                problems.Add($"{shard.Id}: quarantine unreadable from {holder.BaseUrl} ({AdminClient.Reason(e)})");
            }
        }
        foreach (var (reason, count) in quarantine)
            problems.Add($"{count} records in quarantine: {reason}");

        var shards = new[] { ("bigchain", RecordKind.Block), ("votes", RecordKind.Vote) }.SelectMany(t =>
            status.Shards.Where(s => s.Table == t.Item1).OrderBy(s => s.Shard)
                .Select(s => new AuditedShard(s.Id, t.Item2, source.ShardRecords(s, null, ct))));
        var report = await BackupAudit.RunAsync(shards, problems, ct: ct);
        problems.AddRange(report.Findings.Select(f => f.ToString()));

        return new VerifyFindings(source.AdminUrl, status.RestorablePoint,
            status.Shards.Count, report.BlocksSeen, report.VotesSeen, quarantine, problems);
    }
}
