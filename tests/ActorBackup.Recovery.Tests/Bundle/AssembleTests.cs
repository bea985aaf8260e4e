using ActorBackup.Cli.CommandLine;
using ActorBackup.Ledger.Documents;
using ActorBackup.Recovery.Archive;

namespace ActorBackup.Recovery.Tests.Bundle;

/// <summary>`assemble` rebuilding a ledger from client bundles made from a generated federation ledger in reqlite.</summary>
public sealed class AssembleTests(BundleLedgerFixture ledger) : IClassFixture<BundleLedgerFixture>
{
    private static string[] Lines(string text) => text.ReplaceLineEndings("\n").Split('\n');

    /// <summary>A bundle of the transactions of <paramref name="blocks"/>, named in a --tx-file.</summary>
    private async Task<string> BundleOfAsync(string name, IEnumerable<Block> blocks)
    {
        var list = ledger.File(name + ".txt");
        File.WriteAllLines(list, blocks.SelectMany(b => b.TransactionIds).Prepend("# the transactions of " + name));
        var path = ledger.File(name + ".tar.gz");
        var (code, output, error) = await BundleCli.RunAsync("client-backup", "--source", ledger.Server.Endpoint, "--tx-file", list, "--out", path);
        Assert.True(code is ExitCodes.Ok or ExitCodes.VerificationFailed, error + output);
        return path;
    }

    [Fact]
    public async Task Bundles_covering_the_ledger_but_one_block_assemble_into_one_archive_and_that_block_is_reported_missing()
    {
        var rounds = ledger.Blocks.Where(b => b != ledger.Reincluded && b != ledger.Pending).ToList();
        var missing = ledger.PlainValidBlocks.Skip(5).First();
        var kept = rounds.Where(b => b != missing).ToList();
        var bundles = new List<string>();
        for (var part = 0; part < 3; part++)
            bundles.Add(await BundleOfAsync($"part-{part}", kept.Where((_, i) => i % 3 == part)));
        var output = ledger.File("assembled.tar.gz");

        var (code, text, error) = await BundleCli.RunAsync(["assemble", .. bundles.SelectMany(b => new[] { "--bundle", b }), "--out", output, "--federation-keys", ledger.KeyFile]);

        Assert.True(code == ExitCodes.VerificationFailed, error + text);
        var lines = Lines(text);
        Assert.Contains("  blocks proven missing (named by the vote chains): 1", lines);
        Assert.Contains($"    block {missing.Id}: named as previous_block by 3 vote(s) but never seen, nor any vote on it", lines);
        Assert.Contains("  votes missing: 3", lines);
        Assert.All(ledger.Federation.Members, m => Assert.Contains($"    voter {m.PublicKey}: 1 (blocks {missing.Id})", lines));
        Assert.Contains("  forks (a voter's chain branches): none", lines);
        Assert.Contains("assemble: 0 records left out, 0 conflicts, 4 audit findings", lines);

        var expectedBlocks = ledger.Blocks.Where(b => b != missing).Select(b => b.Id).Order(StringComparer.Ordinal).ToList();
        var expectedVotes = (await ledger.VotesOnAsync(BundleLedgerFixture.Indexed, expectedBlocks)).Keys.Order(StringComparer.Ordinal).ToList();
        var (_, tables, _) = await DumpTool.ReadAsync(output);
        Assert.Equal(expectedBlocks, tables["bigchain.bigchain"].Select(b => b!["id"]!.GetValue<string>()));
        Assert.Equal(expectedVotes, tables["bigchain.votes"].Select(v => v!["id"]!.GetValue<string>()));
        Assert.Contains($"wrote {output}: {expectedBlocks.Count} blocks, {expectedVotes.Count} votes", string.Join('\n', lines));
        // What import checks before sending anything: the whole archive, layout, metadata and every document.
        var archive = DumpArchiveReader.Open(output);
        Assert.Equal([expectedBlocks.Count, expectedVotes.Count], archive.Tables.Select(t => (int)t.DocumentCount));
    }

    [Fact]
    public async Task A_tampered_copy_is_named_and_the_copy_that_verifies_is_kept_and_with_no_good_copy_the_record_is_left_out()
    {
        var block = ledger.PlainValidBlocks.Skip(2).First();
        var good = await BundleOfAsync("good", [block]);
        var vote = (await ledger.VotesOnAsync(BundleLedgerFixture.Indexed, [block.Id])).Keys.Order(StringComparer.Ordinal).First();
        var bad = ledger.File("bad.tar.gz");
        await DumpTool.EditAsync(good, bad, "votes", vote, "flip-signature");

        var both = await BundleCli.RunAsync("assemble", "--bundle", bad, "--bundle", good, "--out", ledger.File("both.tar.gz"), "--federation-keys", ledger.KeyFile);
        var alone = await BundleCli.RunAsync("assemble", "--bundle", bad, "--out", ledger.File("alone.tar.gz"), "--federation-keys", ledger.KeyFile);

        Assert.Equal(ExitCodes.VerificationFailed, both.Code);
        Assert.Contains($"conflict: vote {vote} in bad.tar.gz: SignatureMismatch: The vote signature does not verify with vote.node_pubkey. (another copy verifies and was kept)", Lines(both.Out));
        Assert.Contains($"{good}: 4 documents: 1 new, 3 already given by an earlier bundle, 0 failing verification", Lines(both.Out));
        Assert.Contains(vote, (await DumpTool.ReadAsync(ledger.File("both.tar.gz"))).Tables["bigchain.votes"].Select(v => v!["id"]!.GetValue<string>()));
        Assert.Equal(ExitCodes.VerificationFailed, alone.Code);
        Assert.Contains($"left out, no copy verifies: vote {vote} in bad.tar.gz: SignatureMismatch: The vote signature does not verify with vote.node_pubkey.", Lines(alone.Out));
        Assert.DoesNotContain(vote, (await DumpTool.ReadAsync(ledger.File("alone.tar.gz"))).Tables["bigchain.votes"].Select(v => v!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Without_a_key_file_the_bundles_manifests_must_name_the_keys_and_are_called_their_own_word()
    {
        var bundle = await BundleOfAsync("own-keys", [ledger.PlainValidBlocks.Skip(7).First()]);
        var plain = ledger.File("plain-dump.tar.gz");
        var dumped = await BundleCli.RunAsync("dump", "--source", ledger.Server.Endpoint, "--tables", "bigchain", "--tables", "votes", "--out", plain);
        Assert.True(dumped.Code == ExitCodes.Ok, dumped.Err);

        var own = await BundleCli.RunAsync("assemble", "--bundle", bundle, "--out", ledger.File("own.tar.gz"));
        var mixed = await BundleCli.RunAsync("assemble", "--bundle", bundle, "--bundle", plain, "--out", ledger.File("mixed.tar.gz"));

        Assert.Contains("trusted keys: 3, from the manifest of own-keys.tar.gz (the voters listed by the bundle's blocks)", Lines(own.Out));
        Assert.Contains(Lines(own.Out), l => l.StartsWith("warning: these keys are the bundles' own word", StringComparison.Ordinal));
        Assert.Equal(ExitCodes.Failure, mixed.Code);
        Assert.Equal($"actorbackup assemble: error: {plain} has no manifest to take federation keys from; pass --federation-keys", mixed.Err.TrimEnd());
        Assert.False(File.Exists(ledger.File("mixed.tar.gz")));
    }
}
