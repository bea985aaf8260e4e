namespace ActorBackup.Cli.Tests.Security;

/// <summary>
/// What `grep` would find of a ledger's ids in a node's data directory: every file under it, read as bytes, searched
/// for every id in every form (<see cref="LedgerId.Forms"/>).
/// </summary>
public static class DataDirectoryScan
{
    /// <summary>One file that holds ids: its path under the scanned root and, per kind and form, how many distinct ids it holds.</summary>
    public sealed record Finding(string File, IReadOnlyDictionary<string, int> Ids)
    {
        public override string ToString() => $"{File}: {string.Join(", ", Ids.Select(i => $"{i.Value} {i.Key}"))}";
    }

    /// <summary>The files under each of <paramref name="directories"/> that hold any of <paramref name="ids"/>, paths relative to <paramref name="root"/>.</summary>
    public static IReadOnlyList<Finding> Find(string root, IEnumerable<string> directories, IReadOnlyList<LedgerId> ids)
    {
        var forms = ids.SelectMany(id => id.Forms().Select(f => (Label: $"{id.Kind}s ({f.Form})", f.Bytes))).ToArray();
        var findings = new List<Finding>();
        foreach (var file in directories.SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories)).Order(StringComparer.Ordinal))
        {
            var content = File.ReadAllBytes(file);
            var held = forms.Where(f => content.AsSpan().IndexOf(f.Bytes) >= 0)
                .GroupBy(f => f.Label).ToDictionary(g => g.Key, g => g.Count());
            if (held.Count > 0)
                findings.Add(new Finding(Path.GetRelativePath(root, file), held));
        }
        return findings;
    }
}
