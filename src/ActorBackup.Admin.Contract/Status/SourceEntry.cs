namespace ActorBackup.Admin.Contract.Status;

/// <summary>One of the federation's RethinkDB servers as the node that answered sees it.</summary>
/// <param name="Endpoint">"host:port" as configured.</param>
/// <param name="Connections">Open connections of this node to it: one, unless more replicas read it than one connection takes.</param>
/// <param name="Leases">Replicas (and table metadata reads) using those connections now.</param>
/// <param name="ClockOffsetMs">The source's clock minus this node's, in milliseconds; null before the source first answered.</param>
/// <param name="ClockUncertaintyMs">Half the round trip of that measurement: the true offset is within this of it.</param>
/// <param name="ClockMeasuredAt">When that measurement was made, by this node's clock.</param>
/// <param name="Warning">The clock offset is above actorbackup.source-clock.warn-offset; null when it is not.</param>
/// <param name="LastError">Why the last connection to it failed or broke; null when none did since the last success.</param>
public sealed record SourceEntry(
    string Endpoint,
    int Connections,
    int Leases,
    double? ClockOffsetMs,
    double? ClockUncertaintyMs,
    DateTimeOffset? ClockMeasuredAt,
    string? Warning,
    string? LastError);
