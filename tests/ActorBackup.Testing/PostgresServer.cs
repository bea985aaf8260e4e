using System.Diagnostics;
using System.Globalization;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Processes;

namespace ActorBackup.Testing;

/// <summary>
/// A real PostgreSQL server (Debian package <c>postgresql</c>) in a fresh temp cluster on a free
/// loopback port, started with initdb and pg_ctl by the test itself and stopped by process id.
/// initdb refuses to run as root, so under root the server runs as the <c>postgres</c> user.
/// Failing to start is an error with the reason, never a skip.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string Superuser = "postgres";
    private readonly string _bin;
    private readonly string? _runAs;
    private readonly string _root;

    private PostgresServer(string bin, string? runAs, string directory, int port)
    {
        _bin = bin;
        _runAs = runAs;
        _root = directory;
        Port = port;
    }

    /// <summary>The host tests connect to.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The port the server listens on.</summary>
    public int Port { get; }

    /// <summary>The postmaster's process id while running, read from postmaster.pid.</summary>
    public int? ProcessId { get; private set; }

    private string DataDirectory => Path.Combine(_root, "data");
    private string LogFile => Path.Combine(_root, "server.log");

    /// <summary>An Npgsql connection string for a database of this server (trust authentication, no password).</summary>
    public string ConnectionString(string database = "postgres") =>
        $"Host={Host};Port={Port};Username={Superuser};Database={database};Pooling=false";

    /// <summary>Initializes a cluster in a temp directory, starts it on a free port and waits until it accepts connections.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBinaries();
        var runAs = Environment.UserName == "root" ? Superuser : null;
        var directory = Directory.CreateTempSubdirectory("actorbackup-pg-").FullName;
        var server = new PostgresServer(bin, runAs, directory, FreePort.Next());
        try
        {
            await server.InitializeAndStartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Directory.Delete(_root, recursive: true);
    }

    private async Task InitializeAndStartAsync()
    {
        if (_runAs is not null)
            await RunRawAsync("chown", [$"{_runAs}:", _root], TimeSpan.FromSeconds(10));
        await RunAsync("initdb", ["-D", DataDirectory, "-U", Superuser, "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"], TimeSpan.FromSeconds(60));
        var options = $"-p {Port} -c listen_addresses={Host} -c unix_socket_directories={_root} -c max_connections=50";
        await RunAsync("pg_ctl", ["start", "-D", DataDirectory, "-l", LogFile, "-o", options, "-w", "-t", "60"], TimeSpan.FromSeconds(90), includeLog: true);
        ProcessId = ReadPid() ?? throw new InvalidOperationException($"PostgreSQL started but wrote no postmaster.pid in {DataDirectory}. Log: {ServerLog()}");
        await WaitUntilReadyAsync(TimeSpan.FromSeconds(30));
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        try
        {
            await Eventually.Passes(async () =>
            {
                var (code, output) = await ProcessRunner.RunAsync(Path.Combine(_bin, "pg_isready"), ["-h", Host, "-p", Port.ToString(CultureInfo.InvariantCulture)], Path.GetTempPath(), TimeSpan.FromSeconds(10));
                if (code != 0)
                    throw new InvalidOperationException($"pg_isready: {output.Trim()}");
            }, timeout);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"PostgreSQL on {Host}:{Port} is not ready. {e.Message} Log: {ServerLog()}", e);
        }
    }

    private async Task StopAsync()
    {
        if (ProcessId is not int pid) return;
        ProcessId = null;
        Process process;
        try
        {
            process = Process.GetProcessById(pid);
        }
        catch (ArgumentException)
        {
            return;
        }
        using (process)
        {
            // SIGINT is PostgreSQL's "fast" shutdown: clients are disconnected, the cluster is left clean.
            await RunRawAsync("kill", ["-INT", pid.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }
    }

    private int? ReadPid()
    {
        var file = Path.Combine(DataDirectory, "postmaster.pid");
        if (!File.Exists(file)) return null;
        var first = File.ReadLines(file).FirstOrDefault();
        return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    private string ServerLog()
    {
        try
        {
            return File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no log file)";
        }
        catch (IOException e)
        {
            return $"(log unreadable: {e.Message})";
        }
    }

    private Task RunAsync(string tool, IReadOnlyList<string> args, TimeSpan timeout, bool includeLog = false)
    {
        var path = Path.Combine(_bin, tool);
        return _runAs is null
            ? RunCheckedAsync(path, args, timeout, includeLog)
            : RunCheckedAsync("runuser", ["-u", _runAs, "--", path, .. args], timeout, includeLog);
    }

    private Task RunRawAsync(string file, IReadOnlyList<string> args, TimeSpan timeout) => RunCheckedAsync(file, args, timeout, false);

    private async Task RunCheckedAsync(string file, IReadOnlyList<string> args, TimeSpan timeout, bool includeLog)
    {
        var (code, output) = await ProcessRunner.RunAsync(file, args, Path.GetTempPath(), timeout);
        if (code != 0)
        {
            var log = includeLog ? $" Log: {ServerLog()}" : "";
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed with exit code {code}: {output.Trim()}{log}");
        }
    }

    private static string FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(x => File.Exists(Path.Combine(x.Dir, "initdb")) && File.Exists(Path.Combine(x.Dir, "pg_ctl")))
                .OrderByDescending(x => x.Version)
                .Select(x => x.Dir)
                .FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            $"PostgreSQL is not installed: no initdb and pg_ctl under {root}/*/bin. Install it with `apt-get install -y --no-install-recommends postgresql`.");
    }
}
