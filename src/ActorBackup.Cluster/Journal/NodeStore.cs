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
/// The node's own entry in its journal, beside the replicas': the zstd dictionary of each table and the keys the
/// journal's encrypted payloads need. It is recovered before any replica starts, so every dictionary a payload names is
/// known before that payload is read, and a node without a key its journal needs stops with one line instead of
/// failing on its first read.
/// </summary>
/// <remarks>
/// Dictionaries are trained from the first <c>actorbackup.storage.dictionary-training-bytes</c> of packed documents of a
/// table (collected by the serializer), on a pool thread, and become the table's dictionary only once persisted.
/// </remarks>
public sealed class NodeStore : ReceivePersistentActor
{
    private readonly AtRest _atRest = AtRest.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<uint> _keysInUse = [];
    private string? _refusal;
    private bool _ready;
    private readonly List<IActorRef> _waiting = [];

    public NodeStore()
    {
        Recover<DictionaryTrained>(e => _atRest.Dictionaries.Add(new ZstdDictionary(e.Table, e.Id, e.Bytes)));
        Recover<KeyInUse>(e => _keysInUse.Add(e.KeyId));
        Recover<RecoveryCompleted>(_ => Recovered());
        Command<AwaitReady>(_ =>
        {
            if (_ready || _refusal is not null) Sender.Tell(Answer());
            else _waiting.Add(Sender);
        });
        Command<Train>(t => Task.Run(() => TrainDictionary(t)).PipeTo(Self));
        Command<DictionaryTrained>(e => Persist(e, d =>
        {
            _atRest.Dictionaries.Add(new ZstdDictionary(d.Table, d.Id, d.Bytes));
            _log.Info("Table {0}: zstd dictionary {1:x8} of {2} bytes trained from this node's documents", d.Table, d.Id, d.Bytes.Length);
        }));
        Command<TrainingFailed>(f =>
        {
            _atRest.Dictionaries.TrainingFailed(f.Table);
            _log.Info("Table {0}: no zstd dictionary yet ({1}); training again with twice the documents", f.Table, f.Reason);
        });
    }

    public override string PersistenceId => _atRest.NodeStoreId;

    public static Props Props() => Akka.Actor.Props.Create(() => new NodeStore());

    private void Recovered()
    {
        var keys = _atRest.Keys;
        var missing = _keysInUse.Where(id => keys is null || !keys.Holds(id)).Select(KeyRing.Show).Order(StringComparer.Ordinal).ToArray();
        if (missing.Length > 0)
        {
            _refusal = keys is null
                ? $"the journal holds data encrypted at rest with key {string.Join(", ", missing)}: set actorbackup.encryption.key-file to the key file it was written with"
                : $"the journal holds data encrypted with key {string.Join(", ", missing)}, which {_atRest.Settings.KeyFile} does not hold: use the key file the data was written with (keys rotate adds a key and keeps the old ones)";
            Reply();
            return;
        }
        if (keys is not null && !_keysInUse.Contains(keys.CurrentId))
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

    private void Ready()
    {
        var self = Self;
        _atRest.Dictionaries.AttachTrainer((table, samples) => self.Tell(new Train(table, samples)));
        _ready = true;
        Reply();
    }

    private void Reply()
    {
        foreach (var waiting in _waiting) waiting.Tell(Answer());
        _waiting.Clear();
    }

    private object Answer() => _refusal is { } reason ? new Refused(reason) : IsReady.Instance;

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

    /// <summary>Answered with <see cref="Ready"/> once recovered and the keys checked, or <see cref="Refused"/>.</summary>
    internal sealed record AwaitReady
    {
        public static AwaitReady Instance { get; } = new();
    }

    internal sealed record IsReady
    {
        public static IsReady Instance { get; } = new();
    }

    /// <summary>The node must not start: <paramref name="Reason"/> is one line.</summary>
    internal sealed record Refused(string Reason);

    private sealed record Train(string Table, IReadOnlyList<byte[]> Samples);

    private sealed record TrainingFailed(string Table, string Reason);
}
