namespace ActorBackup.Admin.Contract.Status;

/// <summary>Why no cluster status came back from an admin endpoint.</summary>
public enum StatusFailure
{
    /// <summary>No connection could be made (refused, no route, name unknown).</summary>
    Unreachable,

    /// <summary>Connected, but no answer within the client's timeout.</summary>
    NoAnswer,

    /// <summary>It answered with an HTTP error status.</summary>
    Refused,

    /// <summary>It answered 200 with something that is not a cluster status.</summary>
    NotAStatus,
}
