namespace ActorBackup.Testing;

/// <summary>
/// A real PostgreSQL server (Debian package `postgresql`) initialised in a temporary directory and started
/// on a free loopback port with trust authentication. Fails with what to install when the binaries are missing.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _dir;
    private readonly string? _runAs;

    private PostgresServer(string bin, string dir, int port, string? runAs)
    {
        _bin = bin;
        _dir = dir;
        _runAs = runAs;
        Port = port;
    }

    public int Port { get; }

    /// <summary>An Npgsql connection string for the superuser on the default database.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=true";

    /// <summary>Creates a data directory, starts the server and waits until it accepts connections.</summary>
    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBinaries();
        // initdb refuses to run as root: run the server as the `postgres` account the package creates.
        var runAs = Environment.UserName == "root" ? "postgres" : null;
        var dir = Path.Combine(Path.GetTempPath(), $"actorbackup-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        if (runAs is not null)
            await RunChecked("chown", [runAs, dir], TimeSpan.FromSeconds(10));
        var server = new PostgresServer(bin, dir, FreePort.Next(), runAs);
        try
        {
            await server.Run("initdb", ["-D", server.Data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], TimeSpan.FromMinutes(2));
            await server.Run("pg_ctl", ["-D", server.Data, "-l", Path.Combine(dir, "server.log"), "-w", "-t", "60", "start",
                "-o", $"-p {server.Port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=on"], TimeSpan.FromSeconds(90));
            await FreePort.WaitUntilListeningAsync("127.0.0.1", server.Port, TimeSpan.FromSeconds(30));
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private string Data => Path.Combine(_dir, "data");

    public async ValueTask DisposeAsync()
    {
        if (File.Exists(Path.Combine(Data, "postmaster.pid")))
            await Run("pg_ctl", ["-D", Data, "-m", "immediate", "-w", "stop"], TimeSpan.FromSeconds(60));
        Directory.Delete(_dir, recursive: true);
    }

    private Task Run(string tool, IReadOnlyList<string> args, TimeSpan timeout) =>
        _runAs is null
            ? RunChecked(Path.Combine(_bin, tool), args, timeout)
            : RunChecked("runuser", ["-u", _runAs, "--", Path.Combine(_bin, tool), .. args], timeout);

    private static async Task RunChecked(string program, IReadOnlyList<string> args, TimeSpan timeout)
    {
        var (code, output) = await ProcessRunner.RunAsync(program, args, Path.GetTempPath(), timeout);
        if (code != 0)
            throw new InvalidOperationException($"{Path.GetFileName(program)} failed (exit {code}): {output.Trim()}");
    }

    private static string FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb")))
                .OrderByDescending(b => b, StringComparer.Ordinal).FirstOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException(
            "PostgreSQL server binaries not found under /usr/lib/postgresql: install them (Debian: apt-get install --no-install-recommends postgresql).");
    }
}
