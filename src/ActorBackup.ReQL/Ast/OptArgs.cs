using System.Collections;
using System.Text.Json;

namespace ActorBackup.ReQL.Ast;

/// <summary>
/// The optional arguments of a term, in the order they were given. Names are sent exactly as written
/// (the server expects snake_case: <c>primary_key</c>, <c>include_initial</c>); values are terms.
/// </summary>
public sealed class OptArgs : IReadOnlyList<KeyValuePair<string, ReqlAst>>
{
    public static readonly OptArgs Empty = new([]);

    private readonly KeyValuePair<string, ReqlAst>[] _items;

    private OptArgs(KeyValuePair<string, ReqlAst>[] items) => _items = items;

    public int Count => _items.Length;

    public KeyValuePair<string, ReqlAst> this[int index] => _items[index];

    /// <summary>A copy with <paramref name="name"/> set; an existing name keeps its position and gets the new value.</summary>
    public OptArgs With(string name, object? value)
    {
        if (string.IsNullOrEmpty(name))
            throw new ArgumentException("An optarg name must not be empty.", nameof(name));
        var term = ExprConverter.ToExpr(value);
        var existing = Array.FindIndex(_items, kv => kv.Key == name);
        var items = existing >= 0 ? (KeyValuePair<string, ReqlAst>[])_items.Clone() : new KeyValuePair<string, ReqlAst>[_items.Length + 1];
        if (existing < 0)
            _items.CopyTo(items, 0);
        items[existing >= 0 ? existing : _items.Length] = new(name, term);
        return new OptArgs(items);
    }

    /// <summary>A copy with every property of an anonymous object (or entry of a string-keyed dictionary) set.</summary>
    public OptArgs WithAll(object optArgs)
    {
        ArgumentNullException.ThrowIfNull(optArgs);
        var result = this;
        foreach (var (name, value) in ObjectMembers.Read(optArgs, "optargs"))
            result = result.With(name, value);
        return result;
    }

    internal void WriteTo(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in _items)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
        writer.WriteEndObject();
    }

    public IEnumerator<KeyValuePair<string, ReqlAst>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, ReqlAst>>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
