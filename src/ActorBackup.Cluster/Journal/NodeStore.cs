using ActorBackup.Cluster.Encryption;
using ActorBackup.Cluster.Journal.Events;
using ActorBackup.Cluster.Serialization;
using ActorBackup.Cluster.Serialization.Documents;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using ZstdSharp;

namespace ActorBackup.Cluster.Journal;

/// <summary>
/// The node's own entry in its journal, beside the replicas': the zstd dictionary of each table, the interned hashes
/// and the keys the journal's encrypted payloads need. It is recovered before any replica starts, so every dictionary
/// and interned hash a payload names is known before that payload is read, and a node without a key its journal needs
/// stops with one line instead of failing on its first read.
/// </summary>
/// <remarks>
/// Dictionaries are trained from the first <c>actorbackup.storage.dictionary-training-bytes</c> of packed documents of a
/// table (collected by the serializer), on a pool thread, and become the table's dictionary only once persisted.
/// Hashes packing met in two replicas (<see cref="InternedHashes"/>) are persisted in one event per
/// <c>actorbackup.storage.intern-interval</c>, numbered from the count of those before them, and are named by number
/// only once persisted.
/// </remarks>
public sealed class NodeStore : ReceivePersistentActor, IWithTimers
{
    private readonly AtRest _atRest = AtRest.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<uint> _keysInUse = [];
    private readonly TaskCompletionSource<string?> _started;

    /// <param name="started">Set once recovered and the keys checked: null when the node may go on, or why not (one line).</param>
    public NodeStore(TaskCompletionSource<string?> started)
    {
        _started = started;
        Recover<DictionaryTrained>(e => _atRest.Dictionaries.Add(new ZstdDictionary(e.Table, e.Id, e.Bytes)));
        Recover<KeyInUse>(e => _keysInUse.Add(e.KeyId));
        Recover<HashesInterned>(e => _atRest.Hashes.Add(e.First, e.Hashes));
        Recover<RecoveryCompleted>(_ => Recovered());
        Command<Train>(t => Task.Run(() => TrainDictionary(t)).PipeTo(Self));
        Command<DictionaryTrained>(e => Persist(e, d =>
        {
            _atRest.Dictionaries.Add(new ZstdDictionary(d.Table, d.Id, d.Bytes));
            _log.Info("Table {0}: zstd dictionary {1:x8} of {2} bytes trained from this node's documents", d.Table, d.Id, d.Bytes.Length);
        }));
        // Hashes queued within an interval go into one event: each event pays a journal row.
        Command<InternQueued>(_ =>
        {
            if (!Timers.IsTimerActive(InternDue.Instance)) Timers.StartSingleTimer(InternDue.Instance, InternDue.Instance, _atRest.Settings.InternInterval);
        });
        Command<InternDue>(_ =>
        {
            var (first, hashes) = _atRest.Hashes.TakeQueued();
            if (hashes.Length > 0) Persist(new HashesInterned(first, hashes), e => _atRest.Hashes.Add(e.First, e.Hashes));
        });
        Command<TrainingFailed>(f =>
        {
            _atRest.Dictionaries.TrainingFailed(f.Table);
            _log.Info("Table {0}: no zstd dictionary yet ({1}); training again with twice the documents", f.Table, f.Reason);
        });
    }

    public override string PersistenceId => _atRest.NodeStoreId;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(TaskCompletionSource<string?> started) => Akka.Actor.Props.Create(() => new NodeStore(started));

    /// <summary>Stopped (a failed write stops a persistent actor): hashes are no longer queued for an entry that cannot persist them.</summary>
    protected override void PostStop()
    {
        _atRest.Hashes.DetachInterner();
        base.PostStop();
    }

    private void Recovered()
    {
        if (MissingKeys() is { } refusal)
        {
            _started.TrySetResult(refusal);
            return;
        }
        if (_atRest.Keys is { } keys && !_keysInUse.Contains(keys.CurrentId))
        {
            // Before any payload is encrypted with the key, the journal says it needs it.
            Persist(new KeyInUse(keys.CurrentId), e =>
            {
                _keysInUse.Add(e.KeyId);
                Ready();
            });
            return;
        }
        Ready();
    }

    /// <summary>Why the node cannot read its journal with the keys it was given, or null when it holds every key in use.</summary>
    private string? MissingKeys() => Refusal(_keysInUse.Where(id => _atRest.Keys is not { } keys || !keys.Holds(id)));

    private string? Refusal(IEnumerable<uint> lacking)
    {
        var keys = _atRest.Keys;
        var missing = lacking.Distinct().Select(KeyRing.Show).Order(StringComparer.Ordinal).ToArray();
        if (missing.Length == 0) return null;
        return keys is null
            ? $"the journal holds data encrypted at rest with key {string.Join(", ", missing)}: set actorbackup.encryption.key-file to the key file it was written with"
            : $"the journal holds data encrypted with key {string.Join(", ", missing)}, which {_atRest.Settings.KeyFile} does not hold: use the key file the data was written with (keys rotate adds a key and keeps the old ones)";
    }

    /// <summary>
    /// An event that cannot be read (a dictionary encrypted with a key this node lacks, a damaged row) stops the entry:
    /// the node is told why in one line instead of waiting for an answer that never comes.
    /// </summary>
    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        var lacking = Causes(reason).OfType<MissingKeyException>().Select(e => e.KeyId);
        _started.TrySetResult(Refusal(lacking) ?? MissingKeys() ?? $"the node's own journal entry ({PersistenceId}) cannot be read: {reason.Message}");
        base.OnRecoveryFailure(reason, message);
    }

    private static IEnumerable<Exception> Causes(Exception? e)
    {
        for (; e is not null; e = e.InnerException) yield return e;
    }

    private void Ready()
    {
        var self = Self;
        _atRest.Dictionaries.AttachTrainer((table, samples) => self.Tell(new Train(table, samples)));
        _atRest.Hashes.AttachInterner(() => self.Tell(InternQueued.Instance));
        _started.TrySetResult(null);
    }

    private object TrainDictionary(Train t)
    {
        try
        {
            var bytes = DictBuilder.TrainFromBuffer(t.Samples, _atRest.Settings.DictionaryBytes);
            var dictionary = ZstdDictionary.Of(t.Table, bytes);
            return new DictionaryTrained(dictionary.Table, dictionary.Id, dictionary.Bytes);
        }
        catch (ZstdException e)
        {
            return new TrainingFailed(t.Table, e.Message);
        }
    }

    private sealed record Train(string Table, IReadOnlyList<byte[]> Samples);

    private sealed record TrainingFailed(string Table, string Reason);

    /// <summary>Hashes wait to be interned.</summary>
    private sealed class InternQueued
    {
        public static readonly InternQueued Instance = new();
    }

    /// <summary>The interval since hashes were first queued has passed: they are persisted.</summary>
    private sealed class InternDue
    {
        public static readonly InternDue Instance = new();
    }
}
