namespace ActorBackup.Ledger.Audit;

/// <summary>A set that remembers only the last <c>capacity</c> items added, so memory stays flat over a long ledger.</summary>
internal sealed class RecentSet(int capacity)
{
    private readonly string[] ring = new string[capacity];
    private readonly HashSet<string> members = new(StringComparer.Ordinal);
    private int next;

    public bool Contains(string item) => members.Contains(item);

    public void Add(string item)
    {
        if (!members.Add(item))
            return;
        var evicted = ring[next];
        if (evicted is not null)
            members.Remove(evicted);
        ring[next] = item;
        next = (next + 1) % ring.Length;
    }
}
