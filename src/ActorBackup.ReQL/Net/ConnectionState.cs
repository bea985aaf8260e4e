namespace ActorBackup.ReQL.Net;

/// <summary>The life of a connection; it only moves forward.</summary>
public enum ConnectionState
{
    Connecting,
    Open,
    /// <summary>Failed: <see cref="Connection.BreakReason"/> says why; every pending request failed with it.</summary>
    Broken,
    Closed,
}
