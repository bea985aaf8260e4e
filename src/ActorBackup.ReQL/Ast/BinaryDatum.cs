using System.Text.Json;

namespace ActorBackup.ReQL.Ast;

/// <summary>Bytes as the BINARY pseudo-type, <c>{"$reql_type$":"BINARY","data":"&lt;standard base64&gt;"}</c>.</summary>
public sealed class BinaryDatum : ReqlExpr
{
    internal BinaryDatum(ReadOnlyMemory<byte> data) => Data = data;

    public ReadOnlyMemory<byte> Data { get; }

    public override void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("$reql_type$"u8, "BINARY"u8);
        writer.WriteBase64String("data"u8, Data.Span);
        writer.WriteEndObject();
    }
}
