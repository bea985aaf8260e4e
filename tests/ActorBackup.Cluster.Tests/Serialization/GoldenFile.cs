namespace ActorBackup.Cluster.Tests.Serialization;

/// <summary>
/// A file of golden serializer payloads: comment lines start with '#', every other line is a manifest, one space and
/// the payload in lowercase hex (the manifest alone for an empty payload). Manifests are case-sensitive ("rd" and "rD" differ), hence one file, not a file each.
/// </summary>
internal static class GoldenFile
{
    public static IReadOnlyDictionary<string, byte[]> Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: the golden bytes of the serializer are committed with the tests (see {nameof(GoldenBytesSpec)}).", path);
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            // An empty payload (a message without fields) is the manifest alone.
            var space = line.IndexOf(' ') is var i and >= 0 ? i : line.Length;
            if (space == 0 || !entries.TryAdd(line[..space], Convert.FromHexString(line[Math.Min(space + 1, line.Length)..])))
                throw new InvalidDataException($"{path}:{number} is not \"MANIFEST HEX\" for a manifest not listed before it");
        }
        return entries;
    }

    public static void Write(string path, string about, IReadOnlyDictionary<string, string> hexByManifest)
    {
        var lines = new List<string>
        {
            $"# {about}",
            $"# Each line: a manifest of BackupMessageSerializer, a space, the bytes it writes for {nameof(GoldenBytesSpec)}'s sample, in hex.",
            $"# Written by {nameof(GoldenBytesSpec)} when {GoldenBytesSpec.UpdateVariable}=1; never edited by hand.",
        };
        lines.AddRange(hexByManifest.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Value.Length == 0 ? e.Key : $"{e.Key} {e.Value}"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllLines(path, lines);
    }
}
