using System.Diagnostics;
using System.Globalization;
using ActorBackup.Cluster.Node;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;

namespace ActorBackup.Cluster.Journal;

/// <summary>
/// Waits, while a node starts, until its journal answers, then opens the read journal over it.
/// </summary>
/// <remarks>
/// The SQL plugin's read journal, when created, asks the write journal whether it has initialized (created its
/// tables) and blocks on the answer for a fixed five seconds. A write journal stashes every request until then, so
/// on a slow disk or an overloaded machine the node used to stop with nothing but "Timeout after 5.00 seconds".
/// Asking the write journal first, for a replay of nothing, waits for the same moment with our own bound and names
/// the journal when it passes; the read journal then finds it ready.
/// </remarks>
public static class JournalStartup
{
    /// <summary>A persistence id no actor uses: replaying it reads nothing.</summary>
    private const string ProbeId = "actorbackup-start-probe";

    /// <summary>Blocks until the journal answers and the read journal is open, at most <paramref name="timeout"/>.</summary>
    /// <param name="journal">The journal as the node's startup line names it, e.g. "sqlite /data/journal.sqlite".</param>
    /// <exception cref="NodeStartException">Not within <paramref name="timeout"/>, or the journal failed; one line.</exception>
    public static void Await(ActorSystem system, string journal, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var writeJournal = Persistence.Instance.Apply(system).JournalFor(null);
        string? lastFailure = null;
        while (true)
        {
            var left = timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero)
                throw NotAnswered(journal, timeout, lastFailure);
            object reply;
            try
            {
                reply = writeJournal.Ask<object>(probe => new ReplayMessages(0, 0, 0, ProbeId, probe), left, CancellationToken.None)
                    .GetAwaiter().GetResult();
            }
            catch (AskTimeoutException)
            {
                throw NotAnswered(journal, timeout, lastFailure);
            }
            if (reply is RecoverySuccess)
                break;
            // A replay that failed (a circuit breaker timing out on a starved machine) is tried again until the bound.
            lastFailure = reply is ReplayMessagesFailure failure ? failure.Cause.Message : $"unexpected reply {reply.GetType().Name}";
        }
        OpenReadJournal(system, journal, timeout, clock);
    }

    /// <summary>
    /// Starts the node's own journal entry (<see cref="NodeStore"/>) and waits until it is recovered and has checked the
    /// encryption keys, before any replica reads a payload that names a dictionary or a key.
    /// </summary>
    /// <exception cref="NodeStartException">Not within <paramref name="timeout"/>, or a key the journal needs is missing (one line).</exception>
    public static IActorRef StartNodeStore(ActorSystem system, TimeSpan timeout)
    {
        var started = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var store = system.ActorOf(NodeStore.Props(started), NodeActorPaths.NodeStore);
        if (!started.Task.Wait(timeout))
            throw new NodeStartException($"the node's own journal entry was not read within {Seconds(timeout)} of the start (actorbackup.node.start-timeout)");
        return started.Task.Result is { } refusal ? throw new NodeStartException(refusal) : store;
    }

    /// <summary>Creates the read journal (cached by Akka for the system); its own five-second ask is retried within the bound.</summary>
    private static void OpenReadJournal(ActorSystem system, string journal, TimeSpan timeout, Stopwatch clock)
    {
        while (true)
        {
            try
            {
                PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);
                return;
            }
            catch (Exception e) when (IsAskTimeout(e))
            {
                if (clock.Elapsed >= timeout)
                    throw new NodeStartException($"the read journal over {journal} did not open within {Seconds(timeout)} of the start (actorbackup.node.start-timeout): the machine is too slow");
            }
        }
    }

    private static NodeStartException NotAnswered(string journal, TimeSpan timeout, string? lastFailure) =>
        new(lastFailure is null
            ? $"the journal ({journal}) did not answer within {Seconds(timeout)} of the start (actorbackup.node.start-timeout): the machine or its disk is too slow, or the database is out of reach"
            : $"the journal ({journal}) could not be read within {Seconds(timeout)} of the start (actorbackup.node.start-timeout): {lastFailure}");

    private static bool IsAskTimeout(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is AskTimeoutException)
                return true;
            if (x is AggregateException { InnerExceptions: var inner } && inner.Any(IsAskTimeout))
                return true;
        }
        return false;
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
