using System.Text.Json;

namespace ActorBackup.ReQL.Ast;

/// <summary>
/// A ReQL object literal. The server reads any JSON object in a term as MAKE_OBJ, so it is written as a plain
/// object whose values are terms: <c>{"name":"Michel","tags":[2,["a"]]}</c>.
/// </summary>
public sealed class MakeObject : ReqlExpr
{
    private readonly KeyValuePair<string, ReqlAst>[] _members;

    internal MakeObject(KeyValuePair<string, ReqlAst>[] members) => _members = members;

    public IReadOnlyList<KeyValuePair<string, ReqlAst>> Members => Array.AsReadOnly(_members);

    public override void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in _members)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
        writer.WriteEndObject();
    }
}
