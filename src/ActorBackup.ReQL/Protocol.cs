// Numbers from RethinkDB's src/rdb_protocol/ql2.proto (the V1_0 JSON protocol); TermType lives with the term builder in Ast/.
namespace ActorBackup.ReQL;

/// <summary>The handshake magic numbers (ql2.proto VersionDummy.Version), sent as a little-endian uint32.</summary>
public static class ProtocolVersion
{
    /// <summary>V1_0: JSON handshake with SCRAM-SHA-256; the only version this client speaks.</summary>
    public const uint V1_0 = 0x34c2bdc3;

    /// <summary>The sub-protocol number sent in the client-first message and checked against the server's range.</summary>
    public const int SubProtocol = 0;
}

/// <summary>The first element of every query message (ql2.proto Query.QueryType).</summary>
public enum QueryType
{
    Start = 1,
    Continue = 2,
    Stop = 3,
    NoreplyWait = 4,
    ServerInfo = 5,
}

/// <summary>The `t` field of a response (ql2.proto Response.ResponseType).</summary>
public enum ResponseType
{
    SuccessAtom = 1,
    SuccessSequence = 2,
    SuccessPartial = 3,
    WaitComplete = 4,
    ServerInfo = 5,
    ClientError = 16,
    CompileError = 17,
    RuntimeError = 18,
}

/// <summary>The `e` field of a RUNTIME_ERROR response (ql2.proto Response.ErrorType).</summary>
public enum ErrorType
{
    Internal = 1000000,
    ResourceLimit = 2000000,
    QueryLogic = 3000000,
    NonExistence = 3100000,
    OpFailed = 4100000,
    OpIndeterminate = 4200000,
    User = 5000000,
    PermissionError = 6000000,
}

/// <summary>The `n` field of a stream response (ql2.proto Response.ResponseNote): what kind of changefeed it is.</summary>
public enum ResponseNote
{
    SequenceFeed = 1,
    AtomFeed = 2,
    OrderByLimitFeed = 3,
    UnionedFeed = 4,
    IncludesStates = 5,
}
