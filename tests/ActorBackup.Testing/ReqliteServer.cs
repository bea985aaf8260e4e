using ActorBackup.ReQL.Local;

namespace ActorBackup.Testing;

/// <summary>
/// A real reqlite server (RethinkDB-compatible, in-memory, Node.js) in its own process on a free loopback port.
/// Started by the test itself; killed by process id. Failing to start is an error, never a skip.
/// </summary>
public sealed class ReqliteServer : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);
    private ReqliteProcess? _process;

    private ReqliteServer(int port) => Port = port;

    /// <summary>The host tests connect to.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The driver port this server listens on.</summary>
    public int Port { get; }

    /// <summary>"host:port", the form the CLI and settings take.</summary>
    public string Endpoint => $"{Host}:{Port}";

    /// <summary>The process id of the running server, or null when stopped.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Pid : null;

    /// <summary>What the running server printed last (for failure messages).</summary>
    public string Log => _process?.Output ?? "";

    /// <summary>Starts a reqlite on a free port and waits until it accepts connections.</summary>
    public static async Task<ReqliteServer> StartAsync()
    {
        var server = new ReqliteServer(ReqliteProcess.FreePort());
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>Kills the server with SIGKILL, as a crash would. All its data is gone (reqlite keeps it in memory).</summary>
    public void Kill()
    {
        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts a fresh (empty) server on the same port after <see cref="Kill"/>.</summary>
    public Task RestartAsync()
    {
        Kill();
        return StartProcessAsync();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }

    private async Task StartProcessAsync()
    {
        await NodeTools.EnsureInstalledAsync();
        _process = await ReqliteProcess.StartAsync(RepoPaths.ReqliteTools, Port, StartLimit);
    }
}
