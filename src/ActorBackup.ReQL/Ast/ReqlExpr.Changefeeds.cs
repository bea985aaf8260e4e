namespace ActorBackup.ReQL.Ast;

public abstract partial class ReqlExpr
{
    /// <summary>
    /// CHANGES: turns a table, get, get_all, between, filter/map, min/max or order_by.limit into a feed.
    /// Optargs squash, changefeed_queue_size, include_initial, include_offsets, include_states, include_types.
    /// </summary>
    public Term Changes() => Make(TermType.Changes);
}
