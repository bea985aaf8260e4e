using System.Diagnostics;
using System.Globalization;
using ActorBackup.Sandbox.Processes;

namespace ActorBackup.Sandbox.Reqlite;

/// <summary>
/// reqlite (a RethinkDB-compatible server in Node.js that keeps its data in memory) in its own process on a free
/// loopback port, run from the tools folder of the clone. Killed by process id, as a crash would; it can be started
/// again, empty, on the same port.
/// </summary>
public sealed class ReqliteServer : IAsyncDisposable
{
    /// <summary>reqlite takes its port as an offset from RethinkDB's default driver port, so it cannot listen below it.</summary>
    public const int DefaultDriverPort = 28015;

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);
    /// <summary>What reqlite prints (then exits with code 0) when its server fails, as it does when the port is taken.</summary>
    private const string ListenFailed = "Server got SIGINT";
    private const int PortAttempts = 5;
    private readonly string _tools;
    private ChildProcess? _process;

    private ReqliteServer(string tools, int port)
    {
        _tools = tools;
        Port = port;
    }

    public string Host => "127.0.0.1";

    /// <summary>The driver port the server listens on.</summary>
    public int Port { get; }

    /// <summary>"host:port", the form the CLI and the settings take.</summary>
    public string Endpoint => $"{Host}:{Port}";

    /// <summary>The running server's process; null once killed.</summary>
    public ChildProcess? Process => _process;

    /// <summary>The process id of the running server, or null when it is not running.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Pid : null;

    /// <summary>What the server printed last, one line each (for failure messages).</summary>
    public string Log => _process is { } p ? string.Join('\n', p.Lines) : "";

    /// <summary>Installs reqlite if needed, starts it on a free port and waits until it accepts connections.</summary>
    /// <exception cref="SandboxException">It could not be installed, started, or did not listen in time.</exception>
    public static Task<ReqliteServer> StartAsync(CancellationToken ct = default) => StartAsync(ReqliteTools.OfThisProgram(), ct);

    /// <inheritdoc cref="StartAsync(CancellationToken)"/>
    public static async Task<ReqliteServer> StartAsync(string tools, CancellationToken ct)
    {
        await ReqliteTools.EnsureInstalledAsync(tools, null, ct);
        for (var attempt = 1; ; attempt++)
        {
            // A port free a moment ago may be taken by another server started at once (tests start many): another one then.
            var server = new ReqliteServer(tools, FreePort.Above(DefaultDriverPort));
            try
            {
                await server.StartProcessAsync(ct);
                return server;
            }
            catch (PortTakenException e)
            {
                if (attempt == PortAttempts) throw new SandboxException($"{e.Message} ({PortAttempts} ports tried)");
            }
        }
    }

    /// <summary>Kills the server with SIGKILL, as a crash would, and waits until it is gone. All its data is lost.</summary>
    public void Kill()
    {
        _process?.Dispose();
        _process = null;
    }

    /// <summary>Starts a fresh (empty) server on the same port after <see cref="Kill"/>.</summary>
    /// <exception cref="SandboxException">It did not listen again, or another process took the port meanwhile.</exception>
    public async Task RestartAsync(CancellationToken ct = default)
    {
        Kill();
        try
        {
            await StartProcessAsync(ct);
        }
        catch (PortTakenException e)
        {
            throw new SandboxException(e.Message);
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        return ValueTask.CompletedTask;
    }

    private async Task StartProcessAsync(CancellationToken ct)
    {
        var bin = ReqliteTools.ReqliteBin(_tools);
        if (!File.Exists(bin))
            throw new SandboxException($"reqlite is not installed: {bin} is missing (run `npm ci` in {_tools})");
        var start = new ProcessStartInfo("node") { WorkingDirectory = _tools };
        foreach (var a in new[] { bin, "--port-offset", (Port - DefaultDriverPort).ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(a);
        var process = ChildProcess.Start("reqlite", start);
        try
        {
            await WaitUntilAcceptingAsync(process, ct);
            _process = process;
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Waits until this process says it listens on <see cref="Port"/> (reqlite prints it once its socket listens, so
    /// connections are accepted from then on). A connection accepted on the port would prove nothing: another server may
    /// have taken the port first, and this one then fails to listen.
    /// </summary>
    /// <exception cref="PortTakenException">Another process listens on the port (it is killed by the caller).</exception>
    private async Task WaitUntilAcceptingAsync(ChildProcess process, CancellationToken ct)
    {
        var listening = $"client driver connections on port {Port.ToString(CultureInfo.InvariantCulture)}";
        bool Telling(string line) => line.Contains(listening, StringComparison.Ordinal) || line.Contains(ListenFailed, StringComparison.Ordinal);
        var said = await process.WaitForLineAsync(Telling, StartLimit, ct);
        if (said is null && process.HasExited)
        {
            // An exit may be seen before the last lines are read: wait for the end of the output, then look again.
            process.Process.WaitForExit();
            said = process.Lines.FirstOrDefault(Telling);
        }
        if (said is not null && said.Contains(ListenFailed, StringComparison.Ordinal))
            throw new PortTakenException($"reqlite could not listen on port {Port}: {process.Tail}");
        if (said is null)
        {
            throw new SandboxException(process.HasExited
                ? $"reqlite exited with code {process.Process.ExitCode} before listening on port {Port}: {process.Tail}"
                : $"reqlite did not say it listens on port {Port} within {StartLimit.TotalSeconds:0} s: {process.Tail}");
        }
    }

    /// <summary>Another process listens on the port this server was started on.</summary>
    private sealed class PortTakenException(string message) : Exception(message);
}
