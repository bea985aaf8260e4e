using System.Runtime.Serialization;
using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;

namespace ActorBackup.Cluster.Serialization;

/// <summary>
/// Takes the place of Akka's Newtonsoft JSON serializer, under its name ("json") and its identifier (1), so that
/// neither this node writes nor a peer makes this node read a payload that names its own type: only
/// <see cref="BackupMessageSerializer"/> and the serializers Akka binds to its own messages cross between nodes.
/// </summary>
public sealed class RefusingSerializer : Serializer
{
    public RefusingSerializer(ExtendedActorSystem system) : base(system)
    {
    }

    /// <summary>What Akka calls while akka.actor.serialization-settings.json (Newtonsoft's settings) is present.</summary>
    public RefusingSerializer(ExtendedActorSystem system, Config ignoredNewtonsoftSettings) : base(system)
    {
    }

    /// <summary>The identifier of Akka's Newtonsoft JSON serializer, which a peer would put beside a payload meant for it.</summary>
    public const int NewtonsoftIdentifier = 1;

    public override int Identifier => NewtonsoftIdentifier;

    public override bool IncludeManifest => false;

    public override byte[] ToBinary(object obj) =>
        throw new SerializationException(
            $"{obj.GetType().FullName} has no serializer binding: only ActorBackup's messages and Akka's own are sent between nodes.");

    public override object FromBinary(byte[] bytes, Type type) =>
        throw new SerializationException(
            $"Refused a payload for Akka's JSON serializer ({bytes.Length} bytes{(type is null ? "" : $", type {type.FullName}")}): only ActorBackup's messages and Akka's own are read from other nodes.");
}
