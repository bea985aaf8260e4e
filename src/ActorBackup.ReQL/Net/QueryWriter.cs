using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using ActorBackup.ReQL.Ast;

namespace ActorBackup.ReQL.Net;

/// <summary>Encodes query frames: 8-byte little-endian token, 4-byte little-endian length, then `[type, term, optargs]`.</summary>
internal static class QueryWriter
{
    public const int HeaderSize = 12;

    /// <summary>DB (ql2.proto TermType): the global `db` optarg must be a database term.</summary>
    private const int DbTerm = 14;

    public static byte[] Encode(ulong token, QueryType type, ReqlAst? term = null, RunOptions? options = null, string? defaultDb = null, bool noreply = false)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Advance(HeaderSize);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            w.WriteNumberValue((int)type);
            if (type == QueryType.Start)
            {
                ArgumentNullException.ThrowIfNull(term);
                term.WriteTo(w);
                WriteGlobalOptArgs(w, options ?? RunOptions.Default, defaultDb, noreply);
            }
            w.WriteEndArray();
        }
        var frame = buffer.WrittenMemory.ToArray();
        BinaryPrimitives.WriteUInt64LittleEndian(frame, token);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(8), (uint)(frame.Length - HeaderSize));
        return frame;
    }

    private static void WriteGlobalOptArgs(Utf8JsonWriter w, RunOptions options, string? defaultDb, bool noreply)
    {
        w.WriteStartObject();
        var db = options.Db ?? defaultDb;
        if (db is not null)
        {
            w.WritePropertyName("db");
            w.WriteStartArray();
            w.WriteNumberValue(DbTerm);
            w.WriteStartArray();
            w.WriteStringValue(db);
            w.WriteEndArray();
            w.WriteEndArray();
        }
        if (options.Durability is { } durability) w.WriteString("durability", durability);
        if (options.ReadMode is { } readMode) w.WriteString("read_mode", readMode);
        if (options.ArrayLimit is { } limit) w.WriteNumber("array_limit", limit);
        if (options.TimeFormat is { } timeFormat) w.WriteString("time_format", timeFormat);
        if (options.BinaryFormat is { } binaryFormat) w.WriteString("binary_format", binaryFormat);
        if (noreply) w.WriteBoolean("noreply", true);
        foreach (var (name, value) in options.Extra)
        {
            w.WritePropertyName(name);
            WriteDatum(w, name, value);
        }
        w.WriteEndObject();
    }

    private static void WriteDatum(Utf8JsonWriter w, string name, object value)
    {
        switch (value)
        {
            case ReqlAst term: term.WriteTo(w); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case int i: w.WriteNumberValue(i); break;
            case long l: w.WriteNumberValue(l); break;
            case double d when double.IsFinite(d): w.WriteNumberValue(d); break;
            case decimal m: w.WriteNumberValue(m); break;
            default:
                throw new ArgumentException(
                    $"Global optarg `{name}` has a value of type {value.GetType().Name}; use a string, bool, finite number or a ReqlAst term.");
        }
    }
}
