using ActorBackup.Sandbox.Processes;

namespace ActorBackup.Sandbox.Reqlite;

/// <summary>
/// The npm packages in tools/reqlite of the clone (package.json and package-lock.json): reqlite, a RethinkDB-compatible
/// server in Node.js, and the official JavaScript driver. Installed with `npm ci` on first use.
/// </summary>
public static class ReqliteTools
{
    private static readonly TimeSpan InstallLimit = TimeSpan.FromMinutes(5);
    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    private static readonly HashSet<string> Installed = new(StringComparer.Ordinal);

    /// <summary>The tools folder of the clone the running program was built in.</summary>
    /// <exception cref="SandboxException">It was not built in a clone.</exception>
    public static string OfThisProgram() => In(RepositoryRoot.OfThisProgram());

    /// <summary>The tools folder of the clone at <paramref name="root"/>.</summary>
    public static string In(string root) => Path.Combine(root, "tools", "reqlite");

    /// <summary>Where the installed packages are: NODE_PATH for scripts that require the driver.</summary>
    public static string Modules(string tools) => Path.Combine(tools, "node_modules");

    /// <summary>The reqlite entry script.</summary>
    public static string ReqliteBin(string tools) => Path.Combine(Modules(tools), "reqlite", "bin", "reqlite");

    /// <summary>
    /// Makes sure Node.js is on PATH and both packages are installed, running `npm ci` when they are not; an exclusive
    /// file lock keeps processes that start at once (test projects run in parallel) from installing twice.
    /// <paramref name="log"/> hears about an install before it starts.
    /// </summary>
    /// <exception cref="SandboxException">Node.js or npm is missing, or the install failed (one line).</exception>
    public static async Task EnsureInstalledAsync(string tools, Action<string>? log = null, CancellationToken ct = default)
    {
        lock (Installed)
        {
            if (Installed.Contains(tools)) return;
        }
        await InstallGate.WaitAsync(ct);
        try
        {
            RequireOnPath("node");
            using var fileLock = await AcquireFileLockAsync(Path.Combine(tools, ".install.lock"), InstallLimit, ct);
            if (!AreInstalled(tools))
            {
                RequireOnPath("npm");
                log?.Invoke($"installing reqlite (npm ci in {tools})");
                int code;
                string output;
                try
                {
                    (code, output) = await ProcessRunner.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], tools, InstallLimit, ct: ct);
                }
                catch (TimeoutException)
                {
                    throw new SandboxException($"`npm ci` in {tools} did not finish within {InstallLimit.TotalMinutes:0} min");
                }
                if (code != 0 || !AreInstalled(tools))
                {
                    var last = output.Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim();
                    throw new SandboxException($"`npm ci` in {tools} failed (exit {code}): {last ?? "no output"}");
                }
            }
            lock (Installed) Installed.Add(tools);
        }
        finally
        {
            InstallGate.Release();
        }
    }

    /// <exception cref="SandboxException">The program is not on PATH; the message says what to install.</exception>
    public static void RequireOnPath(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        if (path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(dir => File.Exists(Path.Combine(dir, program))))
            return;
        throw new SandboxException(
            $"`{program}` is not on PATH: reqlite and the official JavaScript driver run on Node.js; install Node.js 18+ and npm (Debian: apt-get install nodejs npm)");
    }

    private static bool AreInstalled(string tools) =>
        File.Exists(ReqliteBin(tools)) && File.Exists(Path.Combine(Modules(tools), "rethinkdb", "package.json"));

    private static async Task<FileStream> AcquireFileLockAsync(string path, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, ct);
            }
        }
    }
}
