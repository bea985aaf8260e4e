using System.Text.Json;

namespace ActorBackup.ReQL.Ast;

/// <summary>
/// A scalar datum sent as itself: a string, a boolean, null or a finite number.
/// Built by <see cref="R.Expr"/> and by every method taking a C# value, which reject NaN and infinities.
/// </summary>
public sealed class Datum : ReqlExpr
{
    internal static readonly Datum Null = new(null);

    // Holds only null, string, bool, long, ulong, float, double or decimal (see ExprConverter).
    private readonly object? _value;

    internal Datum(object? value) => _value = value;

    public object? Value => _value;

    public override void WriteTo(Utf8JsonWriter writer)
    {
        switch (_value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case long l: writer.WriteNumberValue(l); break;
            case ulong u: writer.WriteNumberValue(u); break;
            case double d: writer.WriteNumberValue(d); break;
            case float f: writer.WriteNumberValue(f); break;
            case decimal m: writer.WriteNumberValue(m); break;
            default: throw new InvalidOperationException($"A Datum cannot hold a {_value.GetType().Name}.");
        }
    }
}
