using ActorBackup.Cluster.Sharding;

namespace ActorBackup.Cluster.Replica;

/// <summary>
/// Puts rows that the record index returns in the order of a coarser number (a record's second, an id's
/// <see cref="IdKey"/>) into id order within each run of equal number: the order an index of ids in clear would have
/// given, which sealed ids (<see cref="IndexIds"/>) cannot give. One run is held at a time.
/// </summary>
internal static class IdOrder
{
    public static IEnumerable<T> WithinRuns<T>(IEnumerable<T> rows, Func<T, long> run, Func<T, string> id)
    {
        var current = new List<T>();
        foreach (var row in rows)
        {
            if (current.Count > 0 && run(current[0]) != run(row))
            {
                foreach (var inOrder in Sorted(current, id)) yield return inOrder;
                current = [];
            }
            current.Add(row);
        }
        foreach (var inOrder in Sorted(current, id)) yield return inOrder;
    }

    private static List<T> Sorted<T>(List<T> rows, Func<T, string> id)
    {
        rows.Sort((a, b) => KeyOrder.Compare(id(a), id(b)));
        return rows;
    }
}
