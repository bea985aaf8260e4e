using System.Text.RegularExpressions;
using ActorBackup.Cli.CommandLine;

namespace ActorBackup.Cli.Verbs.ClientBackup;

/// <summary>Transaction ids as client-backup takes them: 64 hex digits, given with --tx or one a line in a --tx-file (# starts a comment).</summary>
internal static partial class TransactionIdFile
{
    public static bool IsId(string text) => IdPattern().IsMatch(text);

    public static IReadOnlyList<string> Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliError($"cannot read the transaction file {path}: {e.Message}");
        }
        var ids = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var text = lines[i].Split('#', 2)[0].Trim();
            if (text.Length == 0)
                continue;
            if (!IsId(text))
                throw new CliError($"{path}:{i + 1}: not a transaction id of 64 hex digits: '{(text.Length > 80 ? text[..80] + "..." : text)}'");
            ids.Add(text.ToLowerInvariant());
        }
        return ids;
    }

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex IdPattern();
}
