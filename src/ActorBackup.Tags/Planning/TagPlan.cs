namespace ActorBackup.Tags.Planning;

/// <summary>The outcome of planning: a <see cref="TagPlan"/> or a <see cref="PlanRefusal"/>.</summary>
public interface IPlanOutcome;

/// <summary>A plan that can work: every table of the request, in the order asked.</summary>
/// <param name="Notes">What the operator should know about the cluster as a whole.</param>
public sealed record TagPlan(TagLayoutRequest Request, ServerRoles Servers, IReadOnlyList<TablePlan> Tables, IReadOnlyList<string> Notes) : IPlanOutcome
{
    public IEnumerable<TablePlan> ToChange => Tables.Where(t => !t.AlreadyApplied);
}

/// <summary>Why a plan cannot work, in one line.</summary>
public sealed record PlanRefusal(RefusalKind Kind, string Reason) : IPlanOutcome;

public enum RefusalKind
{
    /// <summary>The tags, servers or tables do not allow the layout asked: change the options or the servers' tags.</summary>
    Layout,

    /// <summary>A table to change is not ready (a backfill running, a server down): reconfiguring it now could cost availability.</summary>
    NotReady,
}
