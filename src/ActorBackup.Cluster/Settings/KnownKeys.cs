using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace ActorBackup.Cluster.Settings;

/// <summary>
/// The keys under <c>actorbackup</c> an operator may set: exactly those of the embedded reference.conf, read from it
/// at run time, so a key added there is known without being listed anywhere else. A key reference.conf does not have
/// (a typo such as <c>reconcile.intervall</c>) would otherwise be ignored in silence, and the node would run on the
/// default the operator meant to change.
/// </summary>
public static class KnownKeys
{
    private const string Root = "actorbackup";

    private static readonly Lazy<(HashSet<string> Leaves, string[] OpenObjects)> Reference = new(() =>
    {
        var leaves = new HashSet<string>(StringComparer.Ordinal);
        var open = new List<string>();
        Walk(BackupConfig.Reference, (path, isOpenObject) =>
        {
            if (isOpenObject) open.Add(path);
            else leaves.Add(path);
        });
        return (leaves, open.ToArray());
    });

    /// <summary>Every key of reference.conf under <c>actorbackup</c>, e.g. <c>actorbackup.repair.ask-timeout</c>.</summary>
    public static IReadOnlyCollection<string> All => Reference.Value.Leaves;

    /// <summary>Refuses the first key under <c>actorbackup</c> in <paramref name="config"/> that reference.conf does not have.</summary>
    /// <exception cref="BackupSettingsException">One line naming the key and the nearest known one.</exception>
    public static void Check(Config config)
    {
        var (leaves, open) = Reference.Value;
        string? unknown = null;
        Walk(config, (path, isOpenObject) =>
        {
            if (unknown is null && !isOpenObject && !leaves.Contains(path) && !open.Any(o => path.StartsWith(o + ".", StringComparison.Ordinal)))
                unknown = path;
        });
        if (unknown is not null)
            throw new BackupSettingsException($"{unknown} is not a known key; did you mean {Nearest(unknown, leaves)}? (reference.conf lists every key)");
    }

    /// <summary>The known key fewest single-character edits away from <paramref name="key"/>; the first in order among equals.</summary>
    public static string Nearest(string key, IEnumerable<string> known) =>
        known.Order(StringComparer.Ordinal).MinBy(k => Distance(key, k))!;

    /// <summary>
    /// Calls <paramref name="visit"/> with the full path of every value under <c>actorbackup</c>, in <paramref name="config"/>
    /// and its fallbacks: each leaf, and each empty object (which, in reference.conf, takes keys of the operator's choosing).
    /// </summary>
    private static void Walk(Config config, Action<string, bool> visit)
    {
        for (var c = config; c is not null && !c.IsEmpty; c = c.Fallback)
        {
            if (c.Root?.IsObject() == true && c.Root.GetObject().Items.TryGetValue(Root, out var section))
                Walk(section, Root, visit);
        }
    }

    private static void Walk(HoconValue value, string path, Action<string, bool> visit)
    {
        if (!value.IsObject())
        {
            visit(path, false);
            return;
        }
        var items = value.GetObject().Items;
        if (items.Count == 0)
            visit(path, true);
        foreach (var (name, child) in items)
            Walk(child, $"{path}.{name}", visit);
    }

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
