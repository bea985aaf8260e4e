using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Streams;

namespace ActorBackup.Cluster.Reading;

/// <summary>
/// One stream materializer per ActorSystem for reading journals, living as long as the system. Streams that read a
/// journal outlive the actor or request that started them (a stream ref handed to a sibling, a query still
/// paging): a materializer owned by that actor would be shut down under them.
/// </summary>
public static class NodeMaterializer
{
    private static readonly ConditionalWeakTable<ActorSystem, ActorMaterializer> Materializers = new();

    public static ActorMaterializer Of(ActorSystem system) =>
        Materializers.GetValue(system, s => s.Materializer(namePrefix: "actorbackup-reading"));
}
