using System.Collections.Concurrent;

namespace ActorBackup.Cluster.Serialization.Documents;

/// <summary>
/// The zstd dictionaries of a node, one in use per table, and the documents collected to train the first one. Every
/// dictionary a payload names must be here before that payload is read: the node loads them from its journal before
/// any replica starts (<see cref="Journal.NodeStore"/>), and a dictionary is used only once it is durable there.
/// </summary>
public sealed class TableDictionaries(long trainingBytes)
{
    private readonly ConcurrentDictionary<uint, ZstdDictionary> _byId = new();
    private readonly ConcurrentDictionary<string, ZstdDictionary> _current = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Samples> _samples = new(StringComparer.Ordinal);
    private Action<string, IReadOnlyList<byte[]>>? _trainer;

    private sealed class Samples
    {
        public readonly List<byte[]> Documents = [];
        public long Bytes;
        public long Wanted;
        public bool Training;
    }

    /// <summary>The dictionary new payloads of <paramref name="table"/> are compressed with, or null before one is trained.</summary>
    public ZstdDictionary? Current(string table) => _current.GetValueOrDefault(table);

    /// <summary>The dictionary a payload names.</summary>
    /// <exception cref="InvalidDataException">It is not among the node's dictionaries.</exception>
    public ZstdDictionary Find(uint id) => _byId.TryGetValue(id, out var dictionary)
        ? dictionary
        : throw new InvalidDataException($"the payload was compressed with zstd dictionary {id:x8}, which this node's journal does not hold");

    /// <summary>Makes a durable dictionary known, and the one in use for its table.</summary>
    public void Add(ZstdDictionary dictionary)
    {
        _byId[dictionary.Id] = dictionary;
        _current[dictionary.Table] = dictionary;
        lock (_samples) _samples.Remove(dictionary.Table);
    }

    /// <summary>
    /// Who trains a dictionary once a table has <c>trainingBytes</c> of samples: without one (a tool reading a journal,
    /// a test of one actor) nothing is collected and payloads are compressed without a dictionary.
    /// </summary>
    public void AttachTrainer(Action<string, IReadOnlyList<byte[]>> trainer) => _trainer = trainer;

    /// <summary>Training failed (too few distinct samples): collect twice as many and try again.</summary>
    public void TrainingFailed(string table)
    {
        lock (_samples)
        {
            if (_samples.TryGetValue(table, out var samples))
            {
                samples.Training = false;
                samples.Wanted *= 2;
            }
        }
    }

    /// <summary>A packed document of a table that has no dictionary yet.</summary>
    public void Offer(string table, byte[] packed)
    {
        var trainer = _trainer;
        if (trainer is null || _current.ContainsKey(table)) return;
        IReadOnlyList<byte[]>? ready = null;
        lock (_samples)
        {
            if (!_samples.TryGetValue(table, out var samples))
                _samples[table] = samples = new Samples { Wanted = trainingBytes };
            if (samples.Training) return;
            samples.Documents.Add(packed);
            samples.Bytes += packed.Length;
            if (samples.Bytes >= samples.Wanted)
            {
                ready = samples.Documents.ToArray();
                samples.Training = true;
            }
        }
        if (ready is not null) trainer(table, ready);
    }
}
