using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cli.Verbs.Status;

namespace ActorBackup.Cli.Tests.Status;

public sealed class StatusReportTests
{
    [Fact]
    public void Replicas_in_backoff_are_listed_with_their_restarts_source_and_last_error()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var failing = new ShardReplica("akka.tcp://actorbackup@10.0.0.5:4053", "eu-west", true, 10, 0, at, 1, "",
            ReplicaPhases.Backoff, 40, 3, 0, "connection refused", "10.0.0.1:28015", 0);
        var live = failing with { Node = "akka.tcp://actorbackup@10.0.0.6:4053", Phase = ReplicaPhases.Live, LastError = null, Restarts = 0 };
        var status = new ClusterStatus("n", at, 2, [], [new ShardStatus("votes/003", "votes", 3, "", 2, false, at, at, 10, [failing, live])], at, 0, 0);
        var text = new StringWriter();

        StatusReport.Write(text, status);

        Assert.Contains("Replicas in backoff (1):\n  votes/003 on akka.tcp://actorbackup@10.0.0.5:4053 (eu-west): 3 restarts, source 10.0.0.1:28015, last error: connection refused\n",
            text.ToString());
    }
}
