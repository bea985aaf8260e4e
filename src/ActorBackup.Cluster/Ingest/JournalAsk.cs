using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Replies;
using Akka.Actor;

namespace ActorBackup.Cluster.Ingest;

/// <summary>
/// Asks the journal of a replica on one owner, turning a timeout, a rejection or a stray answer into an <see cref="IngestException"/>.
/// Another node's journal answers only queries this way: it takes writes from its own process alone, so a write for it
/// goes to that node's <see cref="ImportReceiver"/> (the overload with a path).
/// </summary>
internal static class JournalAsk
{
    public static Task<T> AskAsync<T>(ActorSystem system, string owner, ReplicaId replica, object command, TimeSpan timeout) =>
        AskAsync<T>(system, owner, replica, NodeActorPaths.JournalOf(Address.Parse(owner), replica), command, timeout);

    /// <summary>As the other overload, through the actor at <paramref name="path"/> on the owner, which writes to the journal.</summary>
    public static async Task<T> AskAsync<T>(ActorSystem system, string owner, ReplicaId replica, ActorPath path, object command, TimeSpan timeout)
    {
        object reply;
        try
        {
            reply = await system.ActorSelection(path).Ask<object>(command, timeout);
        }
        catch (AskTimeoutException)
        {
            throw new IngestException(
                $"replica {replica} on {owner} did not confirm within {timeout.TotalSeconds:0.#} s (not running there yet, or its journal is slow)",
                retryable: true);
        }
        return reply switch
        {
            T ack => ack,
            BatchRejected rejected => throw new IngestException($"replica {replica} on {owner} rejected the records: {rejected.Reason}", retryable: false),
            _ => throw new IngestException($"replica {replica} on {owner} answered with an unexpected {reply.GetType().Name}", retryable: false),
        };
    }
}
