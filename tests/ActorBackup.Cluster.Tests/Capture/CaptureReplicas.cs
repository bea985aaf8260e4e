using ActorBackup.Cluster.Capture;
using ActorBackup.Cluster.Capture.Queries;
using ActorBackup.Cluster.Capture.Replies;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using Akka.Actor;
using Akka.TestKit;

namespace ActorBackup.Cluster.Tests.Capture;

/// <summary>The capture actors of every replica of a node in a spec, and the questions the specs ask them.</summary>
internal static class CaptureReplicas
{
    // Short: assertions poll, and a question sent before the journal's supervisor started its child is lost.
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Whether <paramref name="document"/> belongs to <paramref name="replica"/>.</summary>
    public static bool Expected(CaptureEnvironment environment, ReplicaId replica, LedgerDocument document) =>
        document.Table == replica.Table && environment.Keys.ShardOf(document.Id) == replica.Shard;

    /// <summary>A capture actor for every shard of each of <paramref name="tables"/> (default both).</summary>
    public static Dictionary<ReplicaId, IActorRef> Spawn(CaptureEnvironment environment, ActorSystem system, params string[] tables) =>
        (from table in tables.Length == 0 ? ["bigchain", "votes"] : tables
         from shard in Enumerable.Range(0, environment.Keys.ShardCount)
         select new ReplicaId(table, shard))
        .ToDictionary(r => r, r => system.ActorOf(CaptureActor.Props(r, environment), $"capture-{r.Table}-{r.Shard}"));

    /// <summary>Waits until each replica's journal holds exactly its share of <paramref name="documents"/>, by count and digest.</summary>
    public static async Task AwaitStoredAsync(TestKitBase kit, Dictionary<ReplicaId, IActorRef> captures, CaptureEnvironment environment,
        IReadOnlyList<LedgerDocument> documents, TimeSpan patience, ActorSystem? system = null)
    {
        foreach (var (replica, capture) in captures)
        {
            var expected = documents.Where(d => Expected(environment, replica, d)).DistinctBy(d => d.Id).ToList();
            await kit.AwaitAssertAsync(async () =>
            {
                var journal = await JournalAsync(system ?? kit.Sys, capture);
                Assert.Equal(expected.Count, journal.StoredCount);
                Assert.Equal(CaptureHarness.DigestOf(expected), journal.Digest);
            }, patience, kit.Dilated(TimeSpan.FromMilliseconds(100)));
        }
    }

    public static Task<CaptureStatus> StatusAsync(IActorRef capture) =>
        capture.Ask<CaptureStatus>(GetCaptureStatus.Instance, AskTimeout);

    public static Task<ReplicaStatus> JournalAsync(ActorSystem system, IActorRef capture) =>
        system.ActorSelection(capture.Path / NodeActorPaths.Journal).Ask<ReplicaStatus>(GetReplicaStatus.Instance, AskTimeout);
}
