namespace ActorBackup.Ledger.Json;

/// <summary>
/// String escaping of python-rapidjson with ensure_ascii=False: raw UTF-8, only quote, backslash and
/// control characters escaped, the latter as \b \t \n \f \r or \u00xx with lowercase hex.
/// </summary>
internal static class JsonStringEscaper
{
    public static void WriteQuoted(ReadOnlySpan<byte> utf8, PooledBuffer output)
    {
        output.Append((byte)'"');
        var start = 0;
        for (var i = 0; i < utf8.Length; i++)
        {
            var b = utf8[i];
            if (b >= 0x20 && b != (byte)'"' && b != (byte)'\\')
                continue;
            output.Append(utf8[start..i]);
            start = i + 1;
            switch (b)
            {
                case (byte)'"': output.Append("\\\""u8); break;
                case (byte)'\\': output.Append("\\\\"u8); break;
                case 0x08: output.Append("\\b"u8); break;
                case 0x09: output.Append("\\t"u8); break;
                case 0x0A: output.Append("\\n"u8); break;
                case 0x0C: output.Append("\\f"u8); break;
                case 0x0D: output.Append("\\r"u8); break;
                default:
                    output.Append("\\u00"u8);
                    output.Append((byte)"0123456789abcdef"[b >> 4]);
                    output.Append((byte)"0123456789abcdef"[b & 0xF]);
                    break;
            }
        }
        output.Append(utf8[start..]);
        output.Append((byte)'"');
    }
}
