using System.Text.RegularExpressions;

namespace ActorBackup.Tags;

/// <summary>
/// The two server tags of the layout: the federation's own servers (<c>original</c>) keep the primaries, servers
/// added elsewhere (<c>backup</c>) hold extra replicas.
/// </summary>
public sealed partial record TagNames(string Original, string Backup)
{
    public static readonly TagNames Default = new("original", "backup");

    /// <summary>Whether RethinkDB takes this as a tag: a name of letters, digits, _ and -, as for tables.</summary>
    public static bool IsValid(string tag) => ValidName().IsMatch(tag);

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex ValidName();
}
