using System.Text.RegularExpressions;
using ActorBackup.Cluster.Settings;
using ActorBackup.Testing;
using Akka.Configuration;

namespace ActorBackup.Cli.Tests.Readme;

/// <summary>The README's configuration table lists exactly the keys of the library's reference.conf, with their defaults.</summary>
public sealed partial class ConfigurationTableTests
{
    [Fact]
    public void The_READMEs_configuration_table_lists_every_actorbackup_key_and_no_other()
    {
        var documented = TableRows().SelectMany(row => row.Keys).Order().ToList();
        var reference = Leaves(BackupConfig.Reference.GetConfig("actorbackup"), "").Order().ToList();

        Assert.Equal(reference, documented);
    }

    [Fact]
    public void Every_default_in_the_table_is_the_reference_confs()
    {
        var actorbackup = BackupConfig.Reference.GetConfig("actorbackup");
        var failures = new List<string>();
        foreach (var (keys, defaults) in TableRows())
        {
            if (keys.Count != defaults.Count)
            {
                failures.Add($"{string.Join(", ", keys)}: {keys.Count} keys but {defaults.Count} defaults");
                continue;
            }
            foreach (var (key, shown) in keys.Zip(defaults))
            {
                var value = actorbackup.GetValue(key);
                // HOCON's value of an empty list says it is no array; read as a list, it is the empty one.
                var actual = value.IsArray() || shown == "[]"
                    ? "[" + string.Join(", ", value.GetStringList().Select(v => $"\"{v}\"")) + "]"
                    : value.ToString();
                var expected = shown.Trim('"');
                if (actual.Trim('"') != expected && !(expected.EndsWith(" (required)", StringComparison.Ordinal) && actual.Trim('"') == expected[..^" (required)".Length].Trim('"')))
                    failures.Add($"{key}: README says {shown}, reference.conf has {actual}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static IEnumerable<string> Leaves(Config config, string prefix) =>
        config.AsEnumerable().SelectMany(entry => entry.Value.IsObject()
            ? Leaves(config.GetConfig(entry.Key), $"{prefix}{entry.Key}.")
            : [$"{prefix}{entry.Key}"]);

    /// <summary>
    /// Rows of the table under "Configuration reference": the keys of the first cell (a key starting with '.' is a
    /// sibling of the first key in its cell) and the defaults of the second.
    /// </summary>
    private static IReadOnlyList<(IReadOnlyList<string> Keys, IReadOnlyList<string> Defaults)> TableRows()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        var start = readme.IndexOf("### Configuration reference", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no \"### Configuration reference\" section");
        var section = readme[start..];
        var end = section.IndexOf("\n#", 1, StringComparison.Ordinal);
        section = end < 0 ? section : section[..end];

        var rows = new List<(IReadOnlyList<string>, IReadOnlyList<string>)>();
        foreach (var line in section.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            var keys = Code().Matches(cells[1]).Select(m => m.Groups[1].Value).ToList();
            var parent = keys[0].Contains('.') ? keys[0][..keys[0].LastIndexOf('.')] : "";
            keys = keys.Select(k => k.StartsWith('.') ? parent + k : k).ToList();
            var defaults = Code().Matches(cells[2]).Select(m => m.Groups[1].Value + (cells[2].Contains("(required)") ? " (required)" : "")).ToList();
            rows.Add((keys, defaults));
        }
        Assert.NotEmpty(rows);
        return rows;
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();
}
