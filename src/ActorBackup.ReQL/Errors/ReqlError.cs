namespace ActorBackup.ReQL.Errors;

/// <summary>
/// The root of every error this client raises, mirroring the server's taxonomy (client, compile, runtime) plus the
/// driver's own. <see cref="IsTransient"/> tells supervisors whether retrying the same query may succeed.
/// </summary>
public abstract class ReqlError : Exception
{
    protected ReqlError(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>True when the failure is about availability (connection lost, table unavailable), not about the query.</summary>
    public abstract bool IsTransient { get; }
}
