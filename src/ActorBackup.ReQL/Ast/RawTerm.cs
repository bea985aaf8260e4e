using System.Text.Json;

namespace ActorBackup.ReQL.Ast;

/// <summary>A term given directly as ReQL wire JSON (e.g. <c>[15,[[14,["db"]],"t"]]</c>), validated when built.</summary>
public sealed class RawTerm : ReqlAst
{
    private readonly JsonElement _json;

    public RawTerm(string wireJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(wireJson);
            _json = doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"Not valid JSON for a ReQL term: {e.Message}", nameof(wireJson), e);
        }
    }

    public override void WriteTo(Utf8JsonWriter writer) => _json.WriteTo(writer);
}
