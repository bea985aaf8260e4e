using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cli.CommandLine;

namespace ActorBackup.Cli.Verbs.Drill;

/// <summary>
/// Picks what a scenario kills from the cluster status. Never the node answering the admin URL: the drill keeps
/// watching the cluster through it.
/// </summary>
internal static class VictimChooser
{
    public static IReadOnlyList<DrillVictim> Choose(DrillScenario scenario, ClusterStatus status, int? sourcePid)
    {
        var candidates = status.Members
            .Where(m => m.Address != status.Node && m.Reachable && m.Status == "up")
            .OrderBy(m => m.Address, StringComparer.Ordinal)
            .ToArray();
        switch (scenario)
        {
            case DrillScenario.KillNode:
                var node = candidates.LastOrDefault()
                    ?? throw new CliError($"no reachable member other than {status.Node} to kill: a kill-node drill needs at least two nodes up");
                return [Victim(node)];
            case DrillScenario.LoseRegion:
                var own = status.Members.FirstOrDefault(m => m.Address == status.Node)?.Region;
                var region = candidates.Select(m => m.Region).Where(r => r != own).Distinct().OrderBy(r => r, StringComparer.Ordinal).LastOrDefault()
                    ?? throw new CliError($"every reachable member is in {own ?? "the region"} of {status.Node}: a lose-region drill needs a second region");
                return status.Members.Where(m => m.Region == region && m.Reachable).OrderBy(m => m.Address, StringComparer.Ordinal).Select(Victim).ToArray();
            case DrillScenario.LoseSource:
                return [new DrillVictim("source", null, null, sourcePid ?? throw new CliError("lose-source needs --source-pid N: the process id of the RethinkDB to stop", ExitCodes.Usage))];
            default:
                throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "restore-check kills nothing");
        }
    }

    private static DrillVictim Victim(MemberEntry member) =>
        new("backup node", member.Address, member.Region, member.Pid
            ?? throw new CliError($"member {member.Address} has no pid in /status yet (it publishes it with its first replica report)",
                hint: "wait until every node holds replicas, then run the drill again"));
}
