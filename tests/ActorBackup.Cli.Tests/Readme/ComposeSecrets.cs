namespace ActorBackup.Cli.Tests.Readme;

/// <summary>
/// The Docker secrets of a resolved compose file (`docker-compose config`): the file behind each secret, and per service
/// what it mounts, each under /run/secrets/TARGET (the secret's own name when no target is given).
/// </summary>
public sealed record ComposeSecrets(IReadOnlyDictionary<string, string> Files, IReadOnlyDictionary<string, IReadOnlyList<(string Secret, string Target)>> Mounts)
{
    /// <summary>Where a service sees its secrets.</summary>
    public const string MountDirectory = "/run/secrets";

    /// <summary>
    /// Reads the resolved form, where services sit two spaces in and their keys four, a service's secrets are list items
    /// at four spaces (<c>- source: NAME</c>, then <c>target: NAME</c> at six), and a top-level secret's <c>file:</c> is at four.
    /// </summary>
    public static ComposeSecrets Parse(string resolved)
    {
        var files = new Dictionary<string, string>();
        var mounts = new Dictionary<string, List<(string, string)>>();
        string? section = null, name = null, key = null;
        foreach (var line in resolved.Replace("\r", "").Split('\n'))
        {
            var indent = line.Length - line.TrimStart(' ').Length;
            var text = line.Trim();
            if (text.Length == 0)
                continue;
            if (indent == 0)
                (section, name, key) = (text.TrimEnd(':'), null, null);
            else if (indent == 2)
                (name, key) = (text.TrimEnd(':'), null);
            else if (section == "secrets" && indent == 4 && text.StartsWith("file: ", StringComparison.Ordinal))
                files[name!] = text["file: ".Length..];
            else if (section == "services" && indent == 4 && !text.StartsWith('-'))
                key = text.TrimEnd(':');
            else if (section == "services" && key == "secrets" && indent == 4 && text.StartsWith("- ", StringComparison.Ordinal))
            {
                var secret = text[2..].StartsWith("source: ", StringComparison.Ordinal) ? text["- source: ".Length..] : text[2..];
                (mounts.TryGetValue(name!, out var list) ? list : mounts[name!] = []).Add((secret, secret));
            }
            else if (section == "services" && key == "secrets" && indent == 6 && text.StartsWith("target: ", StringComparison.Ordinal))
            {
                var list = mounts[name!];
                list[^1] = (list[^1].Item1, text["target: ".Length..]);
            }
        }
        return new ComposeSecrets(files, mounts.ToDictionary(m => m.Key, m => (IReadOnlyList<(string, string)>)m.Value));
    }
}
