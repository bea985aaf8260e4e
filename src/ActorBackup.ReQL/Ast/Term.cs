using System.Text.Json;

namespace ActorBackup.ReQL.Ast;

/// <summary>
/// One ReQL term, <c>[type,[args…],{optargs}]</c>. Every builder method returns one; it is immutable,
/// so adding an optarg yields a new term and a shared prefix of a query can be reused safely.
/// </summary>
public sealed class Term : ReqlExpr
{
    private readonly ReqlAst[] _args;

    internal Term(TermType type, ReqlAst[] args, OptArgs optArgs)
    {
        Type = type;
        _args = args;
        OptArgs = optArgs;
    }

    public TermType Type { get; }

    public IReadOnlyList<ReqlAst> Args => Array.AsReadOnly(_args);

    public OptArgs OptArgs { get; }

    /// <summary>Adds (or replaces) one optional argument; <paramref name="name"/> is sent exactly as given, e.g. "return_changes".</summary>
    public Term OptArg(string name, object? value) => new(Type, _args, OptArgs.With(name, value));

    /// <summary>
    /// Adds optional arguments from an anonymous object or a string-keyed dictionary:
    /// <c>.GetAll("x")[new { index = "block_timestamp" }]</c>. Property names are sent as written.
    /// </summary>
    public Term this[object optArgs] => new(Type, _args, OptArgs.WithAll(optArgs));

    // Redeclared because C# looks up indexers in the most derived class first: without these,
    // term["field"] would bind to the optargs indexer above instead of the bracket of ReqlExpr.
    public new Term this[string field] => base[field];

    public new Term this[long index] => base[index];

    public new Term this[ReqlExpr fieldOrIndex] => base[fieldOrIndex];

    public override void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        writer.WriteNumberValue((int)Type);
        writer.WriteStartArray();
        foreach (var arg in _args)
            arg.WriteTo(writer);
        writer.WriteEndArray();
        if (OptArgs.Count > 0)
            OptArgs.WriteTo(writer);
        writer.WriteEndArray();
    }
}
