using System.Diagnostics;
using System.Text;

namespace ActorBackup.Testing;

/// <summary>
/// A real reqlite server (RethinkDB-compatible, in-memory, Node.js) in its own process on a free loopback port.
/// Started by the test itself; killed by process id. Failing to start is an error, never a skip.
/// </summary>
public sealed class ReqliteServer : IAsyncDisposable
{
    private readonly StringBuilder _log = new();
    private Process? _process;

    private ReqliteServer(int port) => Port = port;

    /// <summary>The host tests connect to.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The driver port this server listens on.</summary>
    public int Port { get; }

    /// <summary>"host:port", the form the CLI and settings take.</summary>
    public string Endpoint => $"{Host}:{Port}";

    /// <summary>The process id of the running server, or null when stopped.</summary>
    public int? ProcessId => _process is { HasExited: false } p ? p.Id : null;

    /// <summary>What the server printed so far (for failure messages).</summary>
    public string Log { get { lock (_log) return _log.ToString(); } }

    /// <summary>Starts a reqlite on a free port and waits until it accepts connections.</summary>
    public static async Task<ReqliteServer> StartAsync()
    {
        // reqlite only takes an offset from 28015; the kernel's ephemeral ports lie above it.
        int port;
        do port = FreePort.Next(); while (port <= 28015);
        var server = new ReqliteServer(port);
        await server.StartProcessAsync();
        return server;
    }

    /// <summary>Kills the server with SIGKILL, as a crash would. All its data is gone (reqlite keeps it in memory).</summary>
    public void Kill()
    {
        var p = _process;
        if (p is null) return;
        if (!p.HasExited)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(10_000);
        }
        p.Dispose();
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
        var bin = await NodeTools.ReqliteBinAsync();
        var psi = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepoPaths.ReqliteTools,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(bin);
        psi.ArgumentList.Add("--port-offset");
        psi.ArgumentList.Add((Port - 28015).ToString());
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start node for reqlite");
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        try
        {
            await FreePort.WaitUntilListeningAsync(Host, Port, TimeSpan.FromSeconds(30),
                () => process.HasExited ? $"reqlite exited with code {process.ExitCode} before listening on {Port}: {Log}" : null);
        }
        catch
        {
            Kill();
            throw;
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            if (_log.Length < 64 * 1024) _log.AppendLine(line);
        }
    }
}
