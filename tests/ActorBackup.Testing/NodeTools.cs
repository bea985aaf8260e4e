using ActorBackup.Sandbox.Processes;
using ActorBackup.Sandbox.Reqlite;

namespace ActorBackup.Testing;

/// <summary>Runs JavaScript programs with Node.js and the official RethinkDB driver of tools/reqlite, installed on first use.</summary>
public static class NodeTools
{
    /// <summary>Runs a JavaScript program with `node`, with the official driver resolvable by require("rethinkdb").</summary>
    public static async Task<string> RunScriptAsync(string script, IReadOnlyList<string> args, TimeSpan timeout)
    {
        var tools = ReqliteTools.OfThisProgram();
        await ReqliteTools.EnsureInstalledAsync(tools);
        var file = Path.Combine(Path.GetTempPath(), $"actorbackup-{Guid.NewGuid():N}.js");
        await File.WriteAllTextAsync(file, script);
        try
        {
            var (code, output) = await ProcessRunner.RunAsync("node", [file, .. args], tools, timeout,
                env: new() { ["NODE_PATH"] = ReqliteTools.Modules(tools) });
            if (code != 0)
                throw new InvalidOperationException($"node script failed (exit {code}): {Tail(output)}");
            return output;
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Tail(string text)
    {
        var t = text.Trim();
        return t.Length <= 2000 ? t : "…" + t[^2000..];
    }
}
