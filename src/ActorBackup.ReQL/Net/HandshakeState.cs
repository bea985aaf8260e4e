namespace ActorBackup.ReQL.Net;

/// <summary>Where the V1_0 handshake stands: which server message it waits for next.</summary>
public enum HandshakeState
{
    NotStarted,
    AwaitingVersion,
    AwaitingServerFirst,
    AwaitingServerFinal,
    Completed,
    Failed,
}
