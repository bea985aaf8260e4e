using System.Text.Json;
using ActorBackup.ReQL.Ast;

namespace ActorBackup.ReQL.Net;

/// <summary>
/// What a query needs to run: a single <see cref="Connection"/> or a <see cref="ConnectionPool"/>. The typed run
/// helpers (RunWriteAsync, RunChangesAsync, ...) in <see cref="Run"/> build on these.
/// </summary>
public interface IConnection : IAsyncDisposable
{
    /// <summary>Runs a query expected to give one value; a finished sequence comes back as a JSON array.</summary>
    Task<JsonElement> RunAtomAsync(ReqlAst term, RunOptions? options, CancellationToken ct);

    /// <summary>Runs a query as a stream of documents (also accepts an atom that is an array).</summary>
    Task<Cursor> RunCursorAsync(ReqlAst term, RunOptions? options, CancellationToken ct);

    /// <summary>Sends a query with `noreply:true` and returns once it is written; pair with <see cref="NoReplyWaitAsync"/>.</summary>
    Task RunNoReplyAsync(ReqlAst term, RunOptions? options, CancellationToken ct);

    Task<ServerInfo> ServerInfoAsync(CancellationToken ct = default);

    /// <summary>Waits until every noreply query sent before has finished on the server.</summary>
    Task NoReplyWaitAsync(CancellationToken ct = default);
}
