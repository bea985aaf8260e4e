using System.Collections;
using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;

namespace ActorBackup.ReQL.Ast;

/// <summary>
/// Reads a string-keyed dictionary or the public properties of an anonymous object / POCO as name-value pairs.
/// Property getters are compiled once per type, so converting many documents of one type costs no reflection.
/// </summary>
internal static class ObjectMembers
{
    private sealed record Accessor(string Name, Func<object, object?> Get);

    // null marks a type that is not read as an object (no public properties, a scalar, a collection).
    private static readonly ConcurrentDictionary<Type, Accessor[]?> Accessors = new();

    /// <summary>The members of <paramref name="value"/>, or null when it is neither a dictionary nor an object with public properties.</summary>
    public static IEnumerable<KeyValuePair<string, object?>>? TryRead(object value) => value switch
    {
        IDictionary dictionary => ReadDictionary(dictionary),
        IEnumerable<KeyValuePair<string, object?>> pairs => pairs,
        _ => Accessors.GetOrAdd(value.GetType(), Build) is { } accessors ? ReadProperties(value, accessors) : null,
    };

    public static IEnumerable<KeyValuePair<string, object?>> Read(object value, string what) =>
        TryRead(value) ?? throw new ArgumentException(
            $"{what} must be an anonymous object or a string-keyed dictionary, not {value.GetType().Name}.");

    private static IEnumerable<KeyValuePair<string, object?>> ReadDictionary(IDictionary dictionary)
    {
        foreach (DictionaryEntry entry in dictionary)
        {
            if (entry.Key is not string key)
                throw new ArgumentException($"ReQL object keys must be strings; found a key of type {entry.Key.GetType().Name}.");
            yield return new(key, entry.Value);
        }
    }

    private static IEnumerable<KeyValuePair<string, object?>> ReadProperties(object value, Accessor[] accessors)
    {
        foreach (var accessor in accessors)
            yield return new(accessor.Name, accessor.Get(value));
    }

    private static Accessor[]? Build(Type type)
    {
        if (type.IsPrimitive || type.IsEnum || type == typeof(string) || typeof(IEnumerable).IsAssignableFrom(type)
            || typeof(Delegate).IsAssignableFrom(type)
            || type.Namespace == "System" || (type.Namespace?.StartsWith("System.", StringComparison.Ordinal) ?? false))
            return null;
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetMethod!.IsPublic && p.GetIndexParameters().Length == 0)
            .ToArray();
        if (properties.Length == 0)
            return null;
        return properties.Select(p => new Accessor(p.Name, CompileGetter(type, p))).ToArray();
    }

    private static Func<object, object?> CompileGetter(Type type, PropertyInfo property)
    {
        var instance = Expression.Parameter(typeof(object), "instance");
        var body = Expression.Convert(Expression.Property(Expression.Convert(instance, type), property), typeof(object));
        return Expression.Lambda<Func<object, object?>>(body, instance).Compile();
    }
}
