using System.Text;
using System.Text.RegularExpressions;

namespace ActorBackup.Cluster.Settings;

/// <summary>
/// HOCON's environment substitutions, which Akka's parser does not do (it reads <c>${?NAME}</c> as an empty string and
/// fails on <c>${NAME}</c>): before the text is parsed, each <c>${NAME}</c> or <c>${?NAME}</c> whose name has no dot
/// (a variable's name, not a path in the file) is replaced by the variable's value as a quoted string. An unset
/// <c>${?NAME}</c> that is a whole value drops its line, so the key keeps its earlier value or default, as the HOCON
/// specification says; elsewhere it is removed. An unset <c>${NAME}</c> is left for the parser, which reports it.
/// Quoted strings and comments are left as they are.
/// </summary>
public static partial class EnvironmentSubstitution
{
    public static string Resolve(string hocon, Func<string, string?> environment)
    {
        var output = new StringBuilder(hocon.Length);
        var i = 0;
        while (i < hocon.Length)
        {
            var c = hocon[i];
            if (c == '"')
            {
                var end = QuotedEnd(hocon, i);
                output.Append(hocon, i, end - i);
                i = end;
            }
            else if (c == '#' || (c == '/' && i + 1 < hocon.Length && hocon[i + 1] == '/'))
            {
                var end = hocon.IndexOf('\n', i);
                end = end < 0 ? hocon.Length : end;
                output.Append(hocon, i, end - i);
                i = end;
            }
            else if (c == '$' && i + 1 < hocon.Length && hocon[i + 1] == '{' && Substitution().Match(hocon, i) is { Success: true } match
                     && match.Index == i)
            {
                var optional = match.Groups["optional"].Success;
                var value = environment(match.Groups["name"].Value);
                if (value is not null)
                    AppendQuoted(output, value);
                else if (!optional)
                    output.Append(match.Value);
                else if (WholeValueLine(hocon, output, match) is { } lineEnd)
                {
                    i = lineEnd;
                    continue;
                }
                i = match.Index + match.Length;
            }
            else
            {
                output.Append(c);
                i++;
            }
        }
        return output.ToString();
    }

    /// <summary>A HOCON quoted string holding exactly <paramref name="value"/>.</summary>
    private static void AppendQuoted(StringBuilder output, string value)
    {
        output.Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\') output.Append('\\').Append(c);
            else if (char.IsControl(c)) output.Append($"\\u{(int)c:x4}");
            else output.Append(c);
        }
        output.Append('"');
    }

    /// <summary>The index after a quoted string ("..." with escapes, or """...""") that starts at <paramref name="start"/>.</summary>
    private static int QuotedEnd(string text, int start)
    {
        if (string.CompareOrdinal(text, start, "\"\"\"", 0, 3) == 0)
        {
            var close = text.IndexOf("\"\"\"", start + 3, StringComparison.Ordinal);
            return close < 0 ? text.Length : close + 3;
        }
        for (var j = start + 1; j < text.Length; j++)
        {
            if (text[j] == '\\') j++;
            else if (text[j] == '"' || text[j] == '\n') return j + 1;
        }
        return text.Length;
    }

    /// <summary>
    /// When the substitution is a key's whole value ("key = ${?NAME}" alone on its line, perhaps with a comment), takes
    /// the key back out of <paramref name="output"/> and returns where the next line starts; otherwise null.
    /// </summary>
    private static int? WholeValueLine(string hocon, StringBuilder output, Match match)
    {
        var lineStart = output.ToString().LastIndexOf('\n') + 1;
        var before = output.ToString(lineStart, output.Length - lineStart);
        var lineEnd = hocon.IndexOf('\n', match.Index + match.Length);
        lineEnd = lineEnd < 0 ? hocon.Length : lineEnd;
        var after = hocon[(match.Index + match.Length)..lineEnd];
        if (!Assignment().IsMatch(before) || !Rest().IsMatch(after))
            return null;
        output.Length = lineStart;
        return lineEnd;
    }

    [GeneratedRegex(@"\G\$\{(?<optional>\?)?\s*(?<name>[A-Za-z_][A-Za-z0-9_]*)\s*\}")]
    private static partial Regex Substitution();

    [GeneratedRegex(@"^\s*[A-Za-z0-9_.""-]+\s*(=|:|\+=)?\s*$")]
    private static partial Regex Assignment();

    [GeneratedRegex(@"^\s*,?\s*((#|//).*)?\r?$")]
    private static partial Regex Rest();
}
