using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Sharding;
using ActorBackup.Cluster.Sources;

namespace ActorBackup.Cluster.Capture.Sources;

/// <summary>
/// A node's catch-up reads through the sources' indexes, gathered per source and table: the first attempt that asks
/// opens a gathering, the attempts that ask within <see cref="CaptureSettings.CatchUpJoinWindow"/> join it, and then
/// one <see cref="SharedCatchUp"/> reads for all of them. The gathering closes before the read sends anything, so an
/// attempt that asks later opens the next one: it never joins a read that started before its feed was subscribed.
/// </summary>
internal sealed class CatchUpReads(BackupSettings settings, SourceSessions sources, IReadOnlyCollection<string> voters)
{
    private readonly Dictionary<(string Endpoint, string Table), List<CatchUpMember>> _gathering = [];

    /// <summary>
    /// Joins the next read of <paramref name="table"/> on the source at <paramref name="endpoint"/>, where the attempt's
    /// changefeed is already subscribed, for the documents of <paramref name="range"/> at or after <paramref name="from"/>.
    /// </summary>
    public CatchUpMember Join(string endpoint, string table, ShardRange range, Watermark from)
    {
        var member = new CatchUpMember(range, from);
        var key = (endpoint, table);
        lock (_gathering)
        {
            if (_gathering.TryGetValue(key, out var members))
            {
                members.Add(member);
                return member;
            }
            _gathering.Add(key, [member]);
        }
        _ = GatherThenReadAsync(key);
        return member;
    }

    private async Task GatherThenReadAsync((string Endpoint, string Table) key)
    {
        await Task.Delay(settings.Capture.CatchUpJoinWindow);
        List<CatchUpMember> members;
        lock (_gathering)
        {
            members = _gathering[key];
            _gathering.Remove(key);
        }
        if (sources.Sessions.FirstOrDefault(s => s.Endpoint == key.Endpoint) is not { } session)
        {
            var unknown = new InvalidOperationException($"{key.Endpoint} is not one of this node's sources.");
            foreach (var member in members) member.Complete(unknown);
            return;
        }
        await new SharedCatchUp(settings, session, key.Table, voters, members).RunAsync();
    }
}
