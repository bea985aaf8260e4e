using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ActorBackup.ReQL.Ast;

/// <summary>
/// A ReQL term: anything that can be sent as the term of a START query.
/// The connection only needs <see cref="WriteTo"/>; the fluent builder (R.Db(...).Table(...)) derives from this.
/// </summary>
public abstract class ReqlAst
{
    /// <summary>
    /// Options for a writer of queries: JSON escaping only where JSON requires it (the default encoder also
    /// escapes '+', '&lt;' and non-ASCII for HTML safety, which the server does not need), no indentation.
    /// </summary>
    public static readonly JsonWriterOptions WireWriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes this term as ReQL wire JSON (arrays wrapped in MAKE_ARRAY, objects as MAKE_OBJ, optargs snake_case).</summary>
    public abstract void WriteTo(Utf8JsonWriter writer);

    /// <summary>The wire JSON of this term, as the server would receive it.</summary>
    public string ToWireJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WireWriterOptions))
            WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public override string ToString() => ToWireJson();
}
