namespace ActorBackup.Cluster.Replica.Commands;

/// <summary>
/// What a journal write carries when this process made it: capture, repair and the import receiver, each after checking
/// the evidence itself. A journal stores nothing and moves no watermark without it. It is one object of this process,
/// never serialized, so no message from another node can carry it whatever its sender path claims: a remote sender
/// resolves to a local actor when it names one, so the sender of a message is no proof of where it came from.
/// </summary>
public sealed class LocalOrigin
{
    private LocalOrigin() { }

    public static LocalOrigin Instance { get; } = new();

    /// <summary>Whether <paramref name="origin"/> is this process's own, the only one a journal takes a write with.</summary>
    public static bool IsOwn(LocalOrigin? origin) => ReferenceEquals(origin, Instance);
}
