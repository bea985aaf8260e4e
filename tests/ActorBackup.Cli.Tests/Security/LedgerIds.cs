using System.Text;
using System.Text.Json;

namespace ActorBackup.Cli.Tests.Security;

/// <summary>One id of a ledger: what kind of record it names and the id as the ledger writes it.</summary>
public sealed record LedgerId(string Kind, string Text)
{
    /// <summary>
    /// The forms the id could take in a file: its text as UTF-8, and the bytes its hex digits stand for (a block's or
    /// transaction's SHA3-256, a vote's UUID without its dashes); a form that is not hex has no bytes.
    /// </summary>
    public IEnumerable<(string Form, byte[] Bytes)> Forms()
    {
        yield return ("text", Encoding.UTF8.GetBytes(Text));
        var digits = Text.Replace("-", "", StringComparison.Ordinal);
        if (digits.Length >= 16 && digits.Length % 2 == 0 && digits.All(Uri.IsHexDigit))
            yield return ("raw bytes", Convert.FromHexString(digits));
    }
}

/// <summary>Every block id, transaction id and vote id of a BigchainDB ledger, read from its stored documents.</summary>
public static class LedgerIds
{
    public static IReadOnlyList<LedgerId> Of(IEnumerable<string> blocks, IEnumerable<string> votes)
    {
        var ids = new List<LedgerId>();
        foreach (var json in blocks)
        {
            using var block = JsonDocument.Parse(json);
            ids.Add(new LedgerId("block id", block.RootElement.GetProperty("id").GetString()!));
            foreach (var transaction in block.RootElement.GetProperty("block").GetProperty("transactions").EnumerateArray())
                ids.Add(new LedgerId("transaction id", transaction.GetProperty("id").GetString()!));
        }
        foreach (var json in votes)
        {
            using var vote = JsonDocument.Parse(json);
            ids.Add(new LedgerId("vote id", vote.RootElement.GetProperty("id").GetString()!));
        }
        return ids.Distinct().ToList();
    }
}
