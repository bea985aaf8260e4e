using ActorBackup.ReQL.Net;

namespace ActorBackup.Cluster.Settings;

/// <summary>
/// How the node's connections to its RethinkDB sources wait and buffer (<c>actorbackup.source</c>), mapped onto the
/// driver's <see cref="ConnectionOptions"/>.
/// </summary>
/// <param name="ConnectTimeout">Bounds the TCP connect and the handshake together.</param>
/// <param name="ResponseTimeout">Bounds the wait for each response of a query or a scan batch (not a changefeed's).</param>
/// <param name="KeepAliveIdle">Idle time before TCP keepalive probes start on a quiet connection.</param>
/// <param name="HostBackoff">How long a source that failed is skipped while another one is tried.</param>
/// <param name="MaxFrameBytes">Largest response frame accepted from a source.</param>
/// <param name="CursorPrefetch">Batches of a scan buffered ahead of the one being read.</param>
/// <param name="ReplicasPerConnection">Replicas whose feeds and scans share one connection to a source before another is opened.</param>
public sealed record SourceConnectionSettings(
    TimeSpan ConnectTimeout, TimeSpan ResponseTimeout, TimeSpan KeepAliveIdle, TimeSpan HostBackoff, long MaxFrameBytes, int CursorPrefetch,
    int ReplicasPerConnection)
{
    /// <summary>The driver's options for logging in as <paramref name="credentials"/> over <paramref name="tls"/>, with these bounds.</summary>
    public ConnectionOptions Options(SourceCredentials credentials, SourceTlsSettings tls) => new()
    {
        User = credentials.User,
        Password = credentials.Password,
        Tls = tls.Options(),
        ConnectTimeout = ConnectTimeout,
        ResponseTimeout = ResponseTimeout,
        KeepAliveIdle = KeepAliveIdle,
        HostBackoff = HostBackoff,
        MaxFrameBytes = MaxFrameBytes,
        CursorPrefetchBatches = CursorPrefetch,
    };
}
