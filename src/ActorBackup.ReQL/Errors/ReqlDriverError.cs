namespace ActorBackup.ReQL.Errors;

/// <summary>
/// A failure detected by this client: the connection, the handshake, or a response it cannot understand.
/// Transient unless a subclass says otherwise: a fresh connection may well succeed.
/// </summary>
public class ReqlDriverError : ReqlError
{
    public ReqlDriverError(string message, Exception? inner = null) : base(message, inner) { }

    public override bool IsTransient => true;
}

/// <summary>The server (or its signature) failed authentication: handshake error codes 10-20 or a wrong server signature.</summary>
public sealed class ReqlAuthError : ReqlDriverError
{
    public ReqlAuthError(string message) : base(message) { }

    /// <summary>Wrong credentials do not fix themselves.</summary>
    public override bool IsTransient => false;
}

/// <summary>
/// The TLS handshake failed: the server's certificate is not trusted or not issued for its name, or the server does not
/// speak TLS. A configuration to fix, not an outage to wait out.
/// </summary>
public sealed class ReqlTlsError : ReqlDriverError
{
    public ReqlTlsError(string message, Exception? inner = null) : base(message, inner) { }

    public override bool IsTransient => false;
}

/// <summary>
/// The connection is gone (closed, reset, timed out, broken by a bad frame). Every request that was pending on it
/// fails with this error at once. <see cref="QuerySent"/> is false when the query never reached the socket,
/// so retrying it elsewhere cannot run it twice.
/// </summary>
public sealed class ReqlConnectionError : ReqlDriverError
{
    public ReqlConnectionError(string message, Exception? inner = null, bool querySent = true) : base(message, inner) =>
        QuerySent = querySent;

    public bool QuerySent { get; }
}
