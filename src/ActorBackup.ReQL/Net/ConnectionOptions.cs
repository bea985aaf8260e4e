namespace ActorBackup.ReQL.Net;

/// <summary>Where and how to connect. Immutable; every wait it implies is bounded by one of these timeouts.</summary>
public sealed record ConnectionOptions
{
    public string Host { get; init; } = "localhost";

    public int Port { get; init; } = 28015;

    public string User { get; init; } = "admin";

    public string Password { get; init; } = "";

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

    /// <summary>Cap on each NUL-terminated handshake message from the server.</summary>
    public int MaxHandshakeMessageBytes { get; init; } = 16 * 1024;
}
