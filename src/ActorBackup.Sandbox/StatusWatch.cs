using ActorBackup.Admin.Contract.Status;

namespace ActorBackup.Sandbox;

/// <summary>Waits on a cluster: reads its status over and over until it shows what is waited for, or a time limit passes.</summary>
public static class StatusWatch
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The first status for which <paramref name="problem"/> says nothing (returns null). <paramref name="seen"/> gets
    /// every status read. A status that cannot be read (a node still starting or being killed) counts as not yet.
    /// <see cref="Timeout.InfiniteTimeSpan"/> waits until cancelled.
    /// </summary>
    /// <exception cref="TimeoutException">Not within <paramref name="limit"/>; the message names <paramref name="what"/> and the last problem seen.</exception>
    public static async Task<ClusterStatus> UntilAsync(
        StatusClient client, string what, Func<ClusterStatus, string?> problem, TimeSpan limit, Action<ClusterStatus>? seen, CancellationToken ct)
    {
        var deadline = limit == Timeout.InfiniteTimeSpan ? DateTime.MaxValue : DateTime.UtcNow + limit;
        var last = "no status yet";
        while (true)
        {
            try
            {
                var status = await client.GetAsync(ct);
                seen?.Invoke(status);
                if (problem(status) is not { } p)
                    return status;
                last = p;
            }
            catch (StatusUnavailableException e)
            {
                last = e.Message;
            }
            if (DateTime.UtcNow >= deadline)
                throw new TimeoutException($"not within {limit.TotalSeconds:0} s: {what}; {last}");
            await Task.Delay(PollInterval, ct);
        }
    }

    /// <summary>What a status lacks for <paramref name="done"/>: a count of members and of shards under R, for messages.</summary>
    public static Func<ClusterStatus, string?> Until(Func<ClusterStatus, bool> done) => status => done(status)
        ? null
        : $"{status.Members.Count} members, {status.Shards.Count(s => s.UnderReplicated)} of {status.Shards.Count} shards under R";
}
