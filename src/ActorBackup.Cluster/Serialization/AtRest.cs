using ActorBackup.Cluster.Encryption;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Serialization.Documents;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Sharding;
using Akka.Actor;

namespace ActorBackup.Cluster.Serialization;

/// <summary>
/// How this actor system writes what it persists: its storage settings, the tables' zstd dictionaries, the interned hashes, the encryption
/// keys (when configured), and the persistence ids of its journal. One per actor system, read from its configuration,
/// so the serializer, the replicas and the readers of the journal agree.
/// </summary>
public sealed class AtRest : IExtension
{
    /// <summary>Opens the manifest of a persisted payload that is encrypted: "~" and the manifest of what it holds.</summary>
    public const string EncryptedPrefix = "~";

    private const string NodeStoreName = "node-store";

    private readonly KeySpace _keySpace;

    public AtRest(ExtendedActorSystem system)
    {
        Settings = StorageSettings.Create(system.Settings.Config);
        Keys = Settings.KeyFile is { } file ? KeyFile.Read(file) : null;
        Dictionaries = new TableDictionaries(Settings.DictionaryTrainingBytes);
        _keySpace = new KeySpace(BackupSettings.ShardsOf(system.Settings.Config));
    }

    public static AtRest Get(ActorSystem system) => system.WithExtension<AtRest, AtRestProvider>();

    public StorageSettings Settings { get; }

    /// <summary>The keys persisted payloads are encrypted with, or null when they are written in clear.</summary>
    public KeyRing? Keys { get; }

    public TableDictionaries Dictionaries { get; }

    /// <summary>The hashes packed documents name by number.</summary>
    public InternedHashes Hashes { get; } = new();

    /// <summary>
    /// A number for the replica a stored record of <paramref name="table"/> with <paramref name="id"/> belongs to, the same
    /// for all its records in this process: where <see cref="InternedHashes"/> met a hash.
    /// </summary>
    public int ReplicaKeyOf(string table, string id) => HashCode.Combine(table, _keySpace.ShardOf(id));

    /// <summary>The journal's persistence id of a replica: qualified by the node in a shared PostgreSQL database.</summary>
    public string PersistenceIdOf(ReplicaId replica) => Qualified(replica.PersistenceId);

    /// <summary>The persistence id of the point a replica's own capture confirmed (<see cref="Capture.Points.CapturePointActor"/>).</summary>
    public string CapturePointIdOf(ReplicaId replica) => Qualified($"capture-point-{replica.Table}-{replica.Shard:D3}");

    /// <summary>The persistence id of the node's own records (dictionaries, keys in use).</summary>
    public string NodeStoreId => Qualified(NodeStoreName);

    private string Qualified(string id) => Settings.NodeName is { } node ? $"{node}/{id}" : id;

    private sealed class AtRestProvider : ExtensionIdProvider<AtRest>
    {
        public override AtRest CreateExtension(ExtendedActorSystem system) => new(system);
    }
}
