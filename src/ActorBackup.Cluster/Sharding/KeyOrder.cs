namespace ActorBackup.Cluster.Sharding;

/// <summary>The order RethinkDB gives string primary keys.</summary>
internal static class KeyOrder
{
    // RethinkDB compares strings by their UTF-8 bytes, i.e. by code point. Ordinal UTF-16 comparison
    // differs from that only between a surrogate pair and a code unit in U+E000..U+FFFF; shard bounds
    // are ASCII, and against an ASCII string both orders agree, which is all the key space needs.
    public static int Compare(string a, string b) => string.CompareOrdinal(a, b);
}
