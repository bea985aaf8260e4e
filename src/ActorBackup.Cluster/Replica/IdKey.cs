namespace ActorBackup.Cluster.Replica;

/// <summary>
/// The 64-bit key under which the record index files an id: its first eight characters packed into a number, so that
/// keys follow id order (<c>a &lt; b</c> implies <c>Of(a) &lt;= Of(b)</c>) and a range of ids is a range of keys. Keys
/// are not unique (ids sharing their first eight characters share a key), so every lookup compares the whole id too.
/// </summary>
/// <remarks>
/// Eight bytes instead of a 36-byte UUID or a 64-character hash: the id tree takes random inserts, and a flush rewrites
/// most of its pages, so its size sets the cost of indexing a record. Ids are UUIDs or hex hashes, whose first eight
/// characters are 32 random bits: keys collide rarely. A character outside ASCII ends the key (the rest is zeros), which
/// keeps the order: two ids that first differ past such a character get the same key.
/// </remarks>
public static class IdKey
{
    public static long Of(string id)
    {
        var key = 0L;
        var ended = false;
        for (var i = 0; i < 8; i++)
        {
            var c = !ended && i < id.Length ? id[i] : '\0';
            if (c > 0x7e)
            {
                c = '\x7f';
                ended = true;
            }
            key = (key << 8) | c;
        }
        return key;
    }
}
