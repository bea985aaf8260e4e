using System.Text;

namespace ActorBackup.Cluster.Repair;

/// <summary>
/// Ids missing here, gathered across buckets into requests as large as one message allows: a
/// replica missing a few records in many buckets pulls them with one stream instead of one per bucket.
/// </summary>
internal sealed class MissingIds(int maxIds, int maxBytes)
{
    private List<string> _ids = [];
    private int _bytes;

    public int Count => _ids.Count;

    /// <summary>Adds an id; true when the request is full and must be taken now.</summary>
    public bool Add(string id)
    {
        _ids.Add(id);
        _bytes += Encoding.UTF8.GetByteCount(id);
        return _ids.Count >= maxIds || _bytes >= maxBytes;
    }

    /// <summary>The ids gathered so far, leaving none.</summary>
    public IReadOnlyList<string> Take()
    {
        var taken = _ids;
        (_ids, _bytes) = ([], 0);
        return taken;
    }
}
