using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;

namespace ActorBackup.Recovery.Archive;

/// <summary>
/// What a dump keeps about a table besides its documents: the content of <c>&lt;table&gt;.info</c>. Indexes and the
/// write hook are kept exactly as the source reported them (index functions are opaque BINARY blobs that only
/// <c>index_create</c> on a real server understands).
/// </summary>
/// <param name="Db">The database, as named in the archive path.</param>
/// <param name="Name">The table, as named in the archive path.</param>
/// <param name="PrimaryKey">The primary key field.</param>
/// <param name="Indexes">The <c>index_status()</c> entries, verbatim.</param>
/// <param name="WriteHook">The <c>get_write_hook()</c> result, or null when the table has none (or the source cannot say).</param>
/// <param name="SourceInfo">The raw <c>info()</c> object the other fields came from, kept so its keys are written back in order.</param>
public sealed record TableInfo(
    string Db,
    string Name,
    string PrimaryKey,
    ImmutableArray<JsonElement> Indexes,
    JsonElement? WriteHook = null,
    JsonElement? SourceInfo = null)
{
    /// <summary>Builds the model from what a server answered to <c>info()</c>, <c>index_status()</c> and <c>get_write_hook()</c>.</summary>
    public static TableInfo FromSource(string db, string name, JsonElement info, JsonElement indexStatus, JsonElement? writeHook)
    {
        if (info.ValueKind != JsonValueKind.Object || !info.TryGetProperty("primary_key", out var pk) || pk.ValueKind != JsonValueKind.String)
            throw new FormatException($"info() of {db}.{name} has no primary_key string");
        if (indexStatus.ValueKind != JsonValueKind.Array)
            throw new FormatException($"index_status() of {db}.{name} is not an array");
        return new TableInfo(db, name, pk.GetString()!, [.. indexStatus.EnumerateArray().Select(i => i.Clone())],
            writeHook is { ValueKind: not JsonValueKind.Null } hook ? hook.Clone() : null, info.Clone());
    }

    /// <summary>
    /// The <c>.info</c> line as the Python tool writes it: <c>info()</c> with <c>indexes</c> replaced by the index
    /// status entries and <c>write_hook</c> set (Python dict assignment keeps an existing key's place and appends a
    /// new one), in Python's JSON format, followed by a newline.
    /// </summary>
    public byte[] ToInfoLine()
    {
        var compact = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(compact, new JsonWriterOptions { SkipValidation = true }))
        {
            w.WriteStartObject();
            var wroteIndexes = false;
            var wroteHook = false;
            if (SourceInfo is { ValueKind: JsonValueKind.Object } info)
            {
                foreach (var property in info.EnumerateObject())
                {
                    w.WritePropertyName(property.Name);
                    switch (property.Name)
                    {
                        case "indexes":
                            WriteIndexes(w);
                            wroteIndexes = true;
                            break;
                        case "write_hook":
                            WriteHookValue(w);
                            wroteHook = true;
                            break;
                        default:
                            property.Value.WriteTo(w);
                            break;
                    }
                }
            }
            else
            {
                w.WritePropertyName("db");
                w.WriteStartObject();
                w.WriteString("name", Db);
                w.WriteString("type", "DB");
                w.WriteEndObject();
                w.WritePropertyName("indexes");
                WriteIndexes(w);
                wroteIndexes = true;
                w.WriteString("name", Name);
                w.WriteString("primary_key", PrimaryKey);
                w.WriteString("type", "TABLE");
            }
            if (!wroteIndexes)
            {
                w.WritePropertyName("indexes");
                WriteIndexes(w);
            }
            if (!wroteHook)
            {
                w.WritePropertyName("write_hook");
                WriteHookValue(w);
            }
            w.WriteEndObject();
        }
        var line = new ArrayBufferWriter<byte>(compact.WrittenCount + 64);
        PythonJson.Write(compact.WrittenSpan, line);
        line.Write("\n"u8);
        return line.WrittenSpan.ToArray();
    }

    /// <summary>Reads a <c>.info</c> document; db and table names come from the archive path, as restore takes them.</summary>
    public static TableInfo FromInfoDocument(string db, string name, JsonElement info)
    {
        if (info.ValueKind != JsonValueKind.Object)
            throw new FormatException("it is not a JSON object");
        if (!info.TryGetProperty("primary_key", out var pk) || pk.ValueKind != JsonValueKind.String || pk.GetString()!.Length == 0)
            throw new FormatException("it has no \"primary_key\" string");
        var indexes = ImmutableArray<JsonElement>.Empty;
        if (info.TryGetProperty("indexes", out var list))
        {
            if (list.ValueKind != JsonValueKind.Array)
                throw new FormatException("its \"indexes\" is not an array");
            indexes = [.. list.EnumerateArray().Select(i => i.Clone())];
        }
        JsonElement? hook = info.TryGetProperty("write_hook", out var h) && h.ValueKind != JsonValueKind.Null ? h.Clone() : null;
        return new TableInfo(db, name, pk.GetString()!, indexes, hook, info.Clone());
    }

    private void WriteIndexes(Utf8JsonWriter w)
    {
        w.WriteStartArray();
        foreach (var index in Indexes)
            index.WriteTo(w);
        w.WriteEndArray();
    }

    private void WriteHookValue(Utf8JsonWriter w)
    {
        if (WriteHook is { } hook)
            hook.WriteTo(w);
        else
            w.WriteNullValue();
    }
}
