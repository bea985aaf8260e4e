namespace ActorBackup.ReQL.Net;

/// <summary>Where and how to connect. Immutable; every wait it implies is bounded by one of these timeouts.</summary>
public sealed record ConnectionOptions
{
    public string Host { get; init; } = "localhost";

    public int Port { get; init; } = 28015;

    public string User { get; init; } = "admin";

    public string Password { get; init; } = "";

    /// <summary>TLS to the server; null for plain TCP.</summary>
    public TlsOptions? Tls { get; init; }

    /// <summary>Default database for queries that name none (sent as the global `db` optarg).</summary>
    public string? Db { get; init; }

    /// <summary>Bounds the TCP connect and the whole handshake together.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Bounds the wait for each response of a query or a non-feed batch. Changefeed batches wait as long as the
    /// feed is quiet; a dead server still fails them at once because the connection breaks.
    /// </summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Largest response frame accepted, checked before allocating. 512 MiB by default: reqlite answers a whole-table
    /// read as one frame, and a real server's batches stay near 1 MB (max_batch_bytes).
    /// </summary>
    public long MaxFrameBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>
    /// Idle time before TCP keepalive probes start, in whole seconds; three probes follow, half of it apart. A
    /// changefeed on a quiet table waits without traffic, so a peer that vanished without closing the socket (power
    /// loss, a partition) is only noticed through these probes: the default finds it within about 25 s instead of the
    /// OS's 2 hours.
    /// </summary>
    public TimeSpan KeepAliveIdle { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a <see cref="ConnectionPool"/> skips a host that failed before it tries that host again.</summary>
    public TimeSpan HostBackoff { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Batches of a stream query buffered ahead: CONTINUE goes out while fewer than this many wait to be read. More
    /// hides more of the round trip, at the cost of memory (each batch is up to a frame).
    /// </summary>
    public int CursorPrefetchBatches { get; init; } = 2;

    /// <summary>Cap on each NUL-terminated handshake message from the server.</summary>
    public int MaxHandshakeMessageBytes { get; init; } = 16 * 1024;
}
