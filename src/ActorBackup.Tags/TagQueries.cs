using ActorBackup.ReQL.Ast;
using ActorBackup.Tags.Planning;

namespace ActorBackup.Tags;

/// <summary>Every query the server-tag commands send; their wire JSON is checked against the official JavaScript driver's.</summary>
public static class TagQueries
{
    /// <summary>The state RethinkDB waits for after a reconfigure: every replica of every shard ready, backfills done.</summary>
    public const string AllReplicasReady = "all_replicas_ready";

    /// <summary>A whole system table of the <c>rethinkdb</c> database, e.g. <c>server_config</c>.</summary>
    public static Term SystemTable(string name) => R.Db("rethinkdb").Table(name);

    public static Term Reconfigure(TableRef table, ReconfigureArgs args, bool dryRun)
    {
        var term = Table(table).Reconfigure(args.Shards, args.ReplicasByTag, args.PrimaryReplicaTag);
        return dryRun ? term.OptArg("dry_run", true) : term;
    }

    public static Term WaitForAllReplicas(TableRef table, int timeoutSeconds) => Table(table).Wait(AllReplicasReady, timeoutSeconds);

    private static Term Table(TableRef table) => R.Db(table.Db).Table(table.Name);
}
