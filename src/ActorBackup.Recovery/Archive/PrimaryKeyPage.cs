using System.Text.Json;
using ActorBackup.ReQL.Ast;

namespace ActorBackup.Recovery.Archive;

/// <summary>
/// How a whole table is read: page after page in primary-key order, each starting after the last key read, because
/// reqlite answers a whole-table read as one frame and a page can resume after a lost connection.
/// </summary>
public static class PrimaryKeyPage
{
    /// <summary>At most <paramref name="size"/> rows after <paramref name="lastKey"/> (from the start when null), in key order.</summary>
    public static Term After(ReqlExpr table, string primaryKey, JsonElement? lastKey, int size) =>
        table.Between(lastKey is { } key ? R.Expr(key) : R.Minval(), R.Maxval())[new { left_bound = "open" }]
            .OrderBy()[new { index = primaryKey }]
            .Limit(size);
}
