using System.Runtime.InteropServices;
using System.Text.Json;

namespace ActorBackup.Ledger.Validation;

/// <summary>Typed field access that reports a reason instead of throwing.</summary>
internal static class JsonFields
{
    public static ValidationResult Require(JsonElement obj, string owner, string name, JsonValueKind kind, out JsonElement value)
    {
        if (!obj.TryGetProperty(name, out value))
            return ValidationResult.Invalid(InvalidReason.MissingField, $"{owner} has no \"{name}\".");
        if (value.ValueKind != kind)
            return ValidationResult.Invalid(InvalidReason.WrongFieldType, $"{owner}.{name} is a {Describe(value.ValueKind)}, expected a {Describe(kind)}.");
        return ValidationResult.Valid();
    }

    /// <summary>The UTF-8 content of a string element; escaped strings are decoded into a new array.</summary>
    public static ReadOnlySpan<byte> Utf8(JsonElement stringElement)
    {
        var raw = JsonMarshal.GetRawUtf8Value(stringElement)[1..^1];
        return raw.IndexOf((byte)'\\') < 0 ? raw : System.Text.Encoding.UTF8.GetBytes(stringElement.GetString()!);
    }

    /// <summary>BigchainDB timestamps: a string of decimal Unix seconds.</summary>
    public static ValidationResult Timestamp(JsonElement obj, string owner, out long seconds)
    {
        seconds = 0;
        var result = Require(obj, owner, "timestamp", JsonValueKind.String, out var value);
        if (!result.IsValid)
            return result;
        var text = Utf8(value);
        if (text.IsEmpty || text.Length > 18)
            return ValidationResult.Invalid(InvalidReason.BadTimestamp, $"{owner}.timestamp must be 1 to 18 decimal digits.");
        foreach (var c in text)
        {
            if (c is < (byte)'0' or > (byte)'9')
                return ValidationResult.Invalid(InvalidReason.BadTimestamp, $"{owner}.timestamp must be decimal digits.");
            seconds = seconds * 10 + (c - '0');
        }
        return ValidationResult.Valid();
    }

    public static bool IsHexId(ReadOnlySpan<byte> text)
    {
        if (text.Length != 64)
            return false;
        foreach (var c in text)
        {
            if (c is not ((>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f')))
                return false;
        }
        return true;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
