using ActorBackup.Sandbox.Processes;
using System.Text.Json.Nodes;
using ActorBackup.Testing;

namespace ActorBackup.Recovery.Tests.Bundle;

/// <summary>dump_tool.py: an independent Python reader and editor of dump archives (tarfile and json, nothing of ours).</summary>
internal static class DumpTool
{
    private static string Script => Path.Combine(RepoPaths.Root, "tests", "ActorBackup.Recovery.Tests", "Bundle", "dump_tool.py");

    /// <summary>What Python finds in the archive: its member names, and the rows and .info of each db.table.</summary>
    public static async Task<(IReadOnlyList<string> Members, IReadOnlyDictionary<string, JsonArray> Tables, IReadOnlyDictionary<string, JsonObject> Infos)> ReadAsync(string archive)
    {
        var text = await RunAsync("read", archive);
        var root = JsonNode.Parse(text)!;
        return (root["members"]!.AsArray().Select(m => m!.GetValue<string>()).ToList(),
            root["tables"]!.AsObject().ToDictionary(t => t.Key, t => t.Value!.AsArray()),
            root["infos"]!.AsObject().ToDictionary(t => t.Key, t => t.Value!.AsObject()));
    }

    /// <summary>Copies <paramref name="archive"/> to <paramref name="output"/> with one document of <paramref name="table"/> changed: flip-signature, drop or replace:FILE.</summary>
    public static Task EditAsync(string archive, string output, string table, string id, string action) =>
        RunAsync("edit", archive, output, table, id, action);

    private static async Task<string> RunAsync(params string[] args)
    {
        (int ExitCode, string Output) result;
        try
        {
            result = await ProcessRunner.RunAsync("python3", [Script, .. args], Path.GetTempPath(), TimeSpan.FromSeconds(60));
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("python3 is missing: the bundle tests read archives with Python's tarfile (Debian: apt-get install python3)", e);
        }
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"dump_tool.py {string.Join(' ', args)} failed ({result.ExitCode}): {result.Output}");
        return result.Output;
    }
}
