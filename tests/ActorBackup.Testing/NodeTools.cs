using ActorBackup.ReQL.Local;

namespace ActorBackup.Testing;

/// <summary>
/// Node.js and the npm packages in tools/reqlite (reqlite and the official JavaScript driver):
/// installs them on first use and runs scripts with them. Missing Node.js fails loudly.
/// </summary>
public static class NodeTools
{
    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    private static volatile bool _installed;

    /// <summary>Runs `npm ci` in tools/reqlite unless both packages are already there. Safe across test processes.</summary>
    public static async Task EnsureInstalledAsync()
    {
        if (_installed) return;
        await InstallGate.WaitAsync();
        try
        {
            if (_installed) return;
            RequireOnPath("node");
            var tools = RepoPaths.ReqliteTools;
            // Test projects run in parallel processes: an exclusive file lock keeps two `npm ci` apart.
            using var fileLock = await AcquireFileLockAsync(Path.Combine(tools, ".install.lock"), TimeSpan.FromMinutes(5));
            if (!Installed(tools))
            {
                RequireOnPath("npm");
                var (code, output) = await ProcessRunner.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], tools, TimeSpan.FromMinutes(5));
                if (code != 0 || !Installed(tools))
                    throw new InvalidOperationException($"`npm ci` in {tools} failed (exit {code}): {Tail(output)}");
            }
            _installed = true;
        }
        finally
        {
            InstallGate.Release();
        }
    }

    /// <summary>Runs a JavaScript program with `node`, with the official driver resolvable by require("rethinkdb").</summary>
    public static async Task<string> RunScriptAsync(string script, IReadOnlyList<string> args, TimeSpan timeout)
    {
        await EnsureInstalledAsync();
        var file = Path.Combine(Path.GetTempPath(), $"actorbackup-{Guid.NewGuid():N}.js");
        await File.WriteAllTextAsync(file, script);
        try
        {
            var (code, output) = await ProcessRunner.RunAsync("node", [file, .. args], RepoPaths.ReqliteTools, timeout,
                env: new() { ["NODE_PATH"] = Path.Combine(RepoPaths.ReqliteTools, "node_modules") });
            if (code != 0)
                throw new InvalidOperationException($"node script failed (exit {code}): {Tail(output)}");
            return output;
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Fails with what to install when a program is not on PATH.</summary>
    public static void RequireOnPath(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(dir, program)))
                return;
        }
        throw new InvalidOperationException(
            $"`{program}` is not on PATH: the tests run reqlite and the official JavaScript driver with Node.js; install Node.js 18+ and npm (Debian: apt-get install nodejs npm).");
    }

    private static bool Installed(string tools) =>
        File.Exists(ReqliteProcess.BinIn(tools))
        && File.Exists(Path.Combine(tools, "node_modules", "rethinkdb", "package.json"));

    private static Task<FileStream> AcquireFileLockAsync(string path, TimeSpan timeout) =>
        Eventually.Passes(() => Task.FromResult(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None)), timeout);

    private static string Tail(string text)
    {
        var t = text.Trim();
        return t.Length <= 2000 ? t : "…" + t[^2000..];
    }
}
