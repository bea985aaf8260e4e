using ActorBackup.Cluster.Placement;
using Akka.Cluster;

namespace ActorBackup.Cluster.Membership;

/// <summary>Turns Akka.Cluster members into the <see cref="BackupMember"/>s placement works on.</summary>
public static class MemberView
{
    /// <summary>A node's region travels as the cluster role "region:&lt;region&gt;".</summary>
    public const string RegionRolePrefix = "region:";

    /// <summary>The region of a member without a region role (not started as a backup node).</summary>
    public const string UnknownRegion = "unknown";

    /// <summary>The region named by the first "region:" role, or <see cref="UnknownRegion"/>.</summary>
    public static string RegionOf(IEnumerable<string> roles) =>
        roles.Where(r => r.StartsWith(RegionRolePrefix, StringComparison.Ordinal) && r.Length > RegionRolePrefix.Length)
            .Select(r => r[RegionRolePrefix.Length..])
            .Order(StringComparer.Ordinal)
            .FirstOrDefault() ?? UnknownRegion;

    /// <summary>One member: up means Up or WeaklyUp, so a node that joins during a partition still takes replicas.</summary>
    public static BackupMember From(string address, IEnumerable<string> roles, MemberStatus status, bool reachable) =>
        new(address, RegionOf(roles), status is MemberStatus.Up or MemberStatus.WeaklyUp, reachable);

    /// <summary>Every member of a cluster state, reachable unless listed in <paramref name="unreachable"/>.</summary>
    public static IReadOnlyList<BackupMember> From(IEnumerable<Member> members, IEnumerable<Member> unreachable)
    {
        var down = unreachable.Select(m => m.UniqueAddress).ToHashSet();
        return members
            .Select(m => From(m.Address.ToString(), m.Roles, m.Status, !down.Contains(m.UniqueAddress)))
            .OrderBy(m => m.Address, StringComparer.Ordinal)
            .ToArray();
    }
}
