using System.Text.Json;
using ActorBackup.Recovery.Archive;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Recovery.Restore;

/// <summary>
/// Recreates a table's secondary indexes once its documents are in. An index the source described with its BINARY
/// function blob is created from that blob (exact, on RethinkDB); where the blob is absent or refused (reqlite,
/// archives written without a live server) a BigchainDB index is created from <see cref="BigchainDbSchema"/> by
/// name. An index that cannot be created either way is a warning, as in <c>rethinkdb restore</c>.
/// </summary>
internal static class IndexRestorer
{
    /// <summary>The indexes a table should get: (name, function blob or null).</summary>
    public static IReadOnlyList<(string Name, JsonElement? Blob)> Planned(TableInfo info)
    {
        if (info.Indexes.IsEmpty)
            return [.. BigchainDbSchema.IndexesOf(info.Name).Select(i => (i.Name, (JsonElement?)null))];
        var planned = new List<(string, JsonElement?)>();
        foreach (var entry in info.Indexes)
        {
            if (entry.ValueKind != JsonValueKind.Object || !entry.TryGetProperty("index", out var name) || name.ValueKind != JsonValueKind.String)
                continue;
            if (name.GetString() == info.PrimaryKey)
                continue;
            var blob = entry.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object
                && f.TryGetProperty("$reql_type$", out var type) && type.ValueEquals("BINARY") ? f : (JsonElement?)null;
            planned.Add((name.GetString()!, blob));
        }
        return planned;
    }

    public static async Task<(IReadOnlyList<string> Created, IReadOnlyList<string> Warnings)> RestoreAsync(
        IConnection connection, string db, TableInfo info, CancellationToken ct)
    {
        var table = R.Db(db).Table(info.Name);
        var existing = (await table.IndexList().RunAtomAsync(connection, ct)).EnumerateArray().Select(i => i.GetString()).ToHashSet();
        var created = new List<string>();
        var warnings = new List<string>();
        foreach (var (name, blob) in Planned(info))
        {
            if (existing.Contains(name))
                continue;
            string? failure = null;
            if (blob is { } function)
            {
                failure = await TryCreateAsync(table.IndexCreate(name, R.Expr(function)), connection, ct);
                if (failure is null)
                {
                    created.Add(name);
                    continue;
                }
            }
            if (BigchainDbSchema.Find(info.Name, name) is { } definition)
            {
                failure = await TryCreateAsync(definition.CreateOn(table), connection, ct);
                if (failure is null)
                {
                    created.Add(name);
                    continue;
                }
            }
            warnings.Add($"{db}.{info.Name}: index {name} not created: {failure ?? "the source gave no usable function and BigchainDB 0.10 has no index of that name"}");
        }
        if (created.Count > 0)
        {
            try
            {
                await table.IndexWait([.. created]).RunAtomAsync(connection, ct);
            }
            catch (ReqlError e) when (!e.IsTransient)
            {
                warnings.Add($"{db}.{info.Name}: waiting for indexes {string.Join(", ", created)} failed: {OneLine(e.Message)}");
            }
        }
        return (created, warnings);
    }

    /// <summary>Null when created, else why not.</summary>
    private static async Task<string?> TryCreateAsync(Term create, IConnection connection, CancellationToken ct)
    {
        try
        {
            await create.RunAtomAsync(connection, ct);
            return null;
        }
        catch (ReqlError e) when (!e.IsTransient)
        {
            return OneLine(e.Message);
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
