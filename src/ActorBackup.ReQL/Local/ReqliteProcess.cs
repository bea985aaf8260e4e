using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ActorBackup.ReQL.Local;

/// <summary>
/// reqlite (a RethinkDB-compatible server in Node.js that keeps its data in memory) in its own process on a loopback
/// port, run from a folder where `npm ci` installed it (tools/reqlite of the clone). The demo and the test fixtures
/// start their servers through it.
/// </summary>
public sealed class ReqliteProcess : IDisposable
{
    /// <summary>reqlite takes its port as an offset from RethinkDB's default driver port, so it cannot listen below it.</summary>
    public const int DefaultDriverPort = 28015;

    private const int KeptLines = 200;
    private static readonly TimeSpan ConnectAttempt = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(10);
    private readonly ConcurrentQueue<string> _lines = new();

    private ReqliteProcess(Process process, int port)
    {
        Process = process;
        Port = port;
        Pid = process.Id;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Host => "127.0.0.1";

    /// <summary>The driver port the server listens on.</summary>
    public int Port { get; }

    /// <summary>"host:port", the form the CLI and the settings take.</summary>
    public string Endpoint => $"{Host}:{Port}";

    public Process Process { get; }

    public int Pid { get; }

    public bool HasExited => Process.HasExited;

    /// <summary>The last lines the server printed, one per line.</summary>
    public string Output => string.Join('\n', _lines);

    /// <summary>The last few lines the server printed, joined on one line (for error messages).</summary>
    public string Tail => string.Join(" | ", _lines.TakeLast(10));

    /// <summary>The reqlite entry script under a tools folder.</summary>
    public static string BinIn(string toolsDirectory) => Path.Combine(toolsDirectory, "node_modules", "reqlite", "bin", "reqlite");

    /// <summary>A loopback port that was free a moment ago and that reqlite can take (above <see cref="DefaultDriverPort"/>).</summary>
    public static int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (port > DefaultDriverPort)
                return port;
        }
    }

    /// <summary>
    /// Starts reqlite on <paramref name="port"/> and waits until it accepts TCP connections. If it exits, does not listen
    /// within <paramref name="timeout"/> or the wait is cancelled, the process is killed before this throws.
    /// </summary>
    /// <exception cref="ReqliteStartException">reqlite is not installed, could not start, exited or did not listen in time.</exception>
    public static async Task<ReqliteProcess> StartAsync(string toolsDirectory, int port, TimeSpan timeout, CancellationToken ct = default)
    {
        if (port <= DefaultDriverPort || port > IPEndPoint.MaxPort)
            throw new ArgumentOutOfRangeException(nameof(port), port, $"reqlite listens only on ports {DefaultDriverPort + 1} to {IPEndPoint.MaxPort}");
        var bin = BinIn(toolsDirectory);
        if (!File.Exists(bin))
            throw new ReqliteStartException($"reqlite is not installed: {bin} is missing (run `npm ci` in {toolsDirectory})");
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = toolsDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(bin);
        start.ArgumentList.Add("--port-offset");
        start.ArgumentList.Add((port - DefaultDriverPort).ToString(CultureInfo.InvariantCulture));
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new ReqliteStartException("could not start node for reqlite");
        }
        catch (Win32Exception e)
        {
            throw new ReqliteStartException($"could not start node for reqlite: {e.Message}");
        }
        var reqlite = new ReqliteProcess(process, port);
        try
        {
            await reqlite.WaitUntilAcceptingAsync(timeout, ct);
            return reqlite;
        }
        catch
        {
            reqlite.Dispose();
            throw;
        }
    }

    /// <summary>Kills the server with SIGKILL, as a crash would, and waits until it is gone. Its data is lost.</summary>
    public void Kill()
    {
        if (Process.HasExited)
            return;
        Process.Kill(entireProcessTree: true);
        Process.WaitForExit(ExitWait);
    }

    public void Dispose()
    {
        Kill();
        Process.Dispose();
    }

    private async Task WaitUntilAcceptingAsync(TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (Process.HasExited)
                throw new ReqliteStartException($"reqlite exited with code {Process.ExitCode} before listening on port {Port}: {Tail}");
            if (DateTime.UtcNow >= deadline)
                throw new ReqliteStartException($"reqlite did not listen on port {Port} within {timeout.TotalSeconds:0} s: {Tail}");
            using var client = new TcpClient();
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
            attempt.CancelAfter(ConnectAttempt);
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, Port, attempt.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(RetryPause, ct);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // This attempt hung (a listener not yet accepting); the loop tries again until the deadline.
            }
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
            return;
        _lines.Enqueue(line);
        while (_lines.Count > KeptLines && _lines.TryDequeue(out _))
        {
        }
    }
}
