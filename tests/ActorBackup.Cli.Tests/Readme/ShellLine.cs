using System.Text;

namespace ActorBackup.Cli.Tests.Readme;

/// <summary>
/// One command of a shell code block in a Markdown file: continuation lines joined, the comment removed, split into
/// words as a POSIX shell would for the plain commands a README shows. <see cref="Problem"/> names shell syntax
/// this splitting does not cover (pipes, redirections, expansions), which a check must then refuse.
/// </summary>
public sealed record ShellLine(int LineNumber, string Text, string[] Words, string? Problem)
{
    private static readonly string[] ShellFences = ["sh", "bash", "shell", "console"];

    public override string ToString() => $"README.md:{LineNumber}: {Text}";

    /// <summary>Every command in the ```sh (bash, shell, console) blocks of <paramref name="markdown"/>, in order.</summary>
    public static IReadOnlyList<ShellLine> FromMarkdown(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        var result = new List<ShellLine>();
        var inShell = false;
        var inOther = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].Trim();
            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                if (inShell || inOther)
                {
                    inShell = inOther = false;
                }
                else
                {
                    inShell = ShellFences.Contains(trimmed[3..].Trim());
                    inOther = !inShell;
                }
                continue;
            }
            if (!inShell || trimmed.Length == 0 || trimmed.StartsWith('#'))
                continue;
            var first = i;
            var text = lines[i].TrimEnd();
            while (text.EndsWith('\\') && i + 1 < lines.Length)
                text = text[..^1] + " " + lines[++i].Trim();
            result.Add(Split(first + 1, text.Trim()));
        }
        return result;
    }

    private static ShellLine Split(int lineNumber, string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is not null)
            {
                if (c == quote)
                    quote = null;
                else if (quote == '"' && c is '$' or '`' or '\\')
                    return Unsupported(lineNumber, text, words, c);
                else
                    word.Append(c);
                continue;
            }
            switch (c)
            {
                case ' ' or '\t':
                    if (inWord)
                        words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                    continue;
                case '#' when !inWord:
                    return new ShellLine(lineNumber, text[..i].TrimEnd(), [.. words], null);
                case '\'' or '"':
                    quote = c;
                    inWord = true;
                    continue;
                case '\\' when i + 1 < text.Length:
                    word.Append(text[++i]);
                    inWord = true;
                    continue;
                case '|' or '&' or ';' or '<' or '>' or '$' or '`' or '(' or ')' or '{' or '}' or '*' or '?' or '~':
                    return Unsupported(lineNumber, text, words, c);
                default:
                    word.Append(c);
                    inWord = true;
                    continue;
            }
        }
        if (quote is not null)
            return new ShellLine(lineNumber, text, [.. words], $"an unterminated {quote} quote");
        if (inWord)
            words.Add(word.ToString());
        return new ShellLine(lineNumber, text, [.. words], null);
    }

    private static ShellLine Unsupported(int lineNumber, string text, List<string> words, char c) =>
        new(lineNumber, text, [.. words], $"shell syntax '{c}' the README check does not interpret: keep README commands to plain words");
}
