using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ActorBackup.ReQL.Ast;

/// <summary>
/// Converts a C# value into the term that sends it: scalars as datums, DateTime as TIME, bytes as BINARY,
/// collections as MAKE_ARRAY, dictionaries and objects as objects of terms, lambdas as functions.
/// Values the server cannot take (NaN, infinities, enums, cycles) are refused here, when the query is built.
/// </summary>
internal static class ExprConverter
{
    // Deep enough for any real document; reaching it almost always means an object graph with a cycle.
    private const int MaxDepth = 100;

    private const string ReqlTypeKey = "$reql_type$";

    public static ReqlExpr ToExpr(object? value) => Convert(value, 0);

    public static ReqlAst[] ToArgs(ReqlExpr first, object?[] rest)
    {
        var args = new ReqlAst[rest.Length + 1];
        args[0] = first;
        for (var i = 0; i < rest.Length; i++)
            args[i + 1] = ToExpr(rest[i]);
        return args;
    }

    public static ReqlAst[] ToArgs(object?[] values)
    {
        var args = new ReqlAst[values.Length];
        for (var i = 0; i < values.Length; i++)
            args[i] = ToExpr(values[i]);
        return args;
    }

    private static ReqlExpr Convert(object? value, int depth)
    {
        if (depth > MaxDepth)
            throw new ArgumentException($"The value is nested more than {MaxDepth} levels deep; does the object graph contain a cycle?");
        return value switch
        {
            null => Datum.Null,
            ReqlExpr expr => expr,
            ReqlAst ast => new ForeignAst(ast),
            string s => new Datum(s),
            bool b => new Datum(b),
            char c => new Datum(c.ToString()),
            sbyte or short or int or long => new Datum(System.Convert.ToInt64(value)),
            byte or ushort or uint or ulong => new Datum(System.Convert.ToUInt64(value)),
            double d => new Datum(Finite(d)),
            float f => new Datum(float.IsFinite(f) ? f : throw NotFinite(f)),
            decimal m => new Datum(m),
            Guid g => new Datum(g.ToString("D")),
            DateTime t => TimeDatum.From(t),
            DateTimeOffset t => new TimeDatum(t),
            byte[] bytes => new BinaryDatum(bytes),
            ReadOnlyMemory<byte> bytes => new BinaryDatum(bytes),
            Memory<byte> bytes => new BinaryDatum(bytes),
            ArraySegment<byte> bytes => new BinaryDatum(bytes),
            JsonElement element => new JsonDatum(element),
            JsonDocument document => new JsonDatum(document.RootElement),
            JsonNode node => FromJsonNode(node, depth),
            Func<ReqlExpr, ReqlExpr> f1 => ReqlFunction.From(f1),
            Func<ReqlExpr, ReqlExpr, ReqlExpr> f2 => ReqlFunction.From(f2),
            Delegate other => throw new ArgumentException(
                $"A {other.GetType().Name} cannot become a ReQL function; use Func<ReqlExpr, ReqlExpr> or Func<ReqlExpr, ReqlExpr, ReqlExpr>."),
            Enum e => throw new ArgumentException(
                $"The enum value {e.GetType().Name}.{e} is ambiguous as a ReQL datum; pass its name or its number explicitly."),
            _ => FromComposite(value, depth),
        };
    }

    private static double Finite(double d) => double.IsFinite(d) ? d : throw NotFinite(d);

    private static ArgumentException NotFinite(double d) =>
        new($"{d} is not a valid ReQL datum: JSON has no NaN or infinity, and RethinkDB only stores finite numbers.");

    private static ReqlExpr FromComposite(object value, int depth)
    {
        if (ObjectMembers.TryRead(value) is { } members)
            return FromMembers(value, members, depth);
        if (value is IEnumerable items)
        {
            var list = new List<ReqlAst>();
            foreach (var item in items)
                list.Add(Convert(item, depth + 1));
            return new Term(TermType.MakeArray, [.. list], OptArgs.Empty);
        }
        throw new ArgumentException($"A {value.GetType().FullName} cannot be converted to a ReQL datum: it has no public properties.");
    }

    private static ReqlExpr FromMembers(object source, IEnumerable<KeyValuePair<string, object?>> members, int depth)
    {
        var list = new List<KeyValuePair<string, ReqlAst>>();
        foreach (var (name, value) in members)
        {
            // A pseudo-type is already in its wire form: its arrays must not be wrapped in MAKE_ARRAY.
            if (name == ReqlTypeKey)
                return new JsonDatum(JsonSerializer.SerializeToElement(source));
            list.Add(new(name, Convert(value, depth + 1)));
        }
        return new MakeObject([.. list]);
    }

    private static ReqlExpr FromJsonNode(JsonNode node, int depth)
    {
        switch (node)
        {
            case JsonValue value when value.TryGetValue(out JsonElement element):
                return new JsonDatum(element);
            case JsonValue value:
                return Convert(value.GetValue<object>(), depth);
            case JsonArray array:
                return new Term(TermType.MakeArray, [.. array.Select(item => (ReqlAst)Convert(item, depth + 1))], OptArgs.Empty);
            case JsonObject obj when obj.ContainsKey(ReqlTypeKey):
                return new JsonDatum(JsonSerializer.SerializeToElement(obj));
            case JsonObject obj:
                return new MakeObject([.. obj.Select(p => new KeyValuePair<string, ReqlAst>(p.Key, Convert(p.Value, depth + 1)))]);
            default:
                throw new ArgumentException($"Unexpected JSON node type {node.GetType().Name}.");
        }
    }

    /// <summary>A ReqlAst defined outside this builder, made chainable.</summary>
    private sealed class ForeignAst(ReqlAst inner) : ReqlExpr
    {
        public override void WriteTo(Utf8JsonWriter writer) => inner.WriteTo(writer);
    }
}
