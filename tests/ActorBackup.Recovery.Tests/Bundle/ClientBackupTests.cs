using System.Text.Json.Nodes;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Election;
using ActorBackup.Ledger.Selection;
using ActorBackup.Recovery.Bundle;

namespace ActorBackup.Recovery.Tests.Bundle;

/// <summary>`client-backup` and `verify-bundle` end to end against a generated federation ledger in a real reqlite.</summary>
public sealed class ClientBackupTests(BundleLedgerFixture ledger) : IClassFixture<BundleLedgerFixture>
{
    private string Source => ledger.Server.Endpoint;

    private static string[] Lines(string text) => text.ReplaceLineEndings("\n").Split('\n');

    private async Task<string> BackupAsync(string name, params string[] selection)
    {
        var path = ledger.File(name);
        var (code, output, error) = await BundleCli.RunAsync(["client-backup", "--source", Source, "--out", path, .. selection]);
        Assert.True(code == ExitCodes.Ok, error + output);
        return path;
    }

    /// <summary>Asserts that Python finds in <paramref name="bundle"/> exactly the blocks given and every vote the source holds on them, each equal to the source's.</summary>
    private async Task AssertHoldsExactlyAsync(string bundle, IReadOnlyCollection<string> blocks, string db = BundleLedgerFixture.Indexed)
    {
        var (members, tables, infos) = await DumpTool.ReadAsync(bundle);
        var sourceBlocks = await ledger.SourceAsync(db, "bigchain");
        var sourceVotes = await ledger.VotesOnAsync(db, blocks);
        Assert.Equal(["bigchain.bigchain", "bigchain.votes"], tables.Keys.Order());
        Assert.All(infos.Values, info => Assert.Equal("id", info["primary_key"]!.GetValue<string>()));
        Assert.Contains(members, m => m.EndsWith("/bigchain/" + BundleLayout.ManifestFile, StringComparison.Ordinal));
        var gotBlocks = tables["bigchain.bigchain"].ToDictionary(b => b!["id"]!.GetValue<string>(), b => b!);
        var gotVotes = tables["bigchain.votes"].ToDictionary(v => v!["id"]!.GetValue<string>(), v => v!);
        Assert.Equal(blocks.Order(StringComparer.Ordinal), gotBlocks.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(sourceVotes.Keys.Order(StringComparer.Ordinal), gotVotes.Keys.Order(StringComparer.Ordinal));
        Assert.All(gotBlocks, b => Assert.True(JsonNode.DeepEquals(sourceBlocks[b.Key], b.Value), $"block {b.Key} differs from the source's"));
        Assert.All(gotVotes, v => Assert.True(JsonNode.DeepEquals(sourceVotes[v.Key], v.Value), $"vote {v.Key} differs from the source's"));
    }

    [Fact]
    public async Task A_bundle_of_three_transactions_holds_exactly_their_blocks_and_all_their_votes_and_verifies_until_one_signature_byte_changes()
    {
        var chosen = ledger.PlainValidBlocks.Take(3).ToList();
        var txs = chosen.Select(b => b.TransactionIds[1]).ToList();

        var (code, output, error) = await BundleCli.RunAsync("client-backup", "--source", Source, "--tx", txs[0], "--tx", txs[1], "--tx", txs[2],
            "--out", ledger.File("three.tar.gz"), "--federation-keys", ledger.KeyFile);

        Assert.True(code == ExitCodes.Ok, error + output);
        Assert.Contains("bigchain: index transaction_id for 3 transaction ids", Lines(output));
        Assert.Contains("votes: index block_and_voter for 3 blocks", Lines(output));
        await AssertHoldsExactlyAsync(ledger.File("three.tar.gz"), chosen.Select(b => b.Id).ToList());

        var verified = await BundleCli.RunAsync("verify-bundle", ledger.File("three.tar.gz"), "--federation-keys", ledger.KeyFile);
        Assert.True(verified.Code == ExitCodes.Ok, verified.Err + verified.Out);
        Assert.Contains("trusted keys: 3, from key file federation-keys.json", Lines(verified.Out));
        foreach (var (tx, block) in txs.Zip(chosen))
            Assert.Contains(Lines(verified.Out), l => l.StartsWith($"transaction {tx}: valid in block {block.Id} (valid by 0.10 rules: ", StringComparison.Ordinal));

        var vote = (await ledger.VotesOnAsync(BundleLedgerFixture.Indexed, [chosen[1].Id])).Keys.Order(StringComparer.Ordinal).First();
        await DumpTool.EditAsync(ledger.File("three.tar.gz"), ledger.File("three-flipped.tar.gz"), "votes", vote, "flip-signature");
        var tampered = await BundleCli.RunAsync("verify-bundle", ledger.File("three-flipped.tar.gz"), "--federation-keys", ledger.KeyFile);

        Assert.Equal(ExitCodes.VerificationFailed, tampered.Code);
        Assert.Contains($"problem: vote {vote}: SignatureMismatch: The vote signature does not verify with vote.node_pubkey.", Lines(tampered.Out));
    }

    [Fact]
    public async Task A_transaction_put_back_after_an_invalid_block_is_valid_by_its_second_block_and_the_others_are_undecided_or_invalid()
    {
        var (again, pending, invalid) = (ledger.InvalidBlocks[0].TransactionIds[0], ledger.InvalidBlocks[1].TransactionIds[0], ledger.InvalidBlocks[2].TransactionIds[0]);
        var path = ledger.File("reincluded.tar.gz");

        var made = await BundleCli.RunAsync("client-backup", "--source", Source, "--tx", again, "--tx", pending, "--tx", invalid, "--out", path);
        var (code, output, _) = await BundleCli.RunAsync("verify-bundle", path, "--federation-keys", ledger.KeyFile);

        Assert.Equal(ExitCodes.VerificationFailed, made.Code);
        await AssertHoldsExactlyAsync(path, [ledger.InvalidBlocks[0].Id, ledger.Reincluded.Id, ledger.InvalidBlocks[1].Id, ledger.Pending.Id, ledger.InvalidBlocks[2].Id]);
        Assert.Equal(ExitCodes.VerificationFailed, code);
        var lines = Lines(output);
        Assert.Contains(lines, l => l.StartsWith($"transaction {again}: valid in block {ledger.Reincluded.Id} (valid by 0.10 rules: 3 valid and 0 invalid of 3 voters; ", StringComparison.Ordinal)
                                    && l.EndsWith($"; also in block {ledger.InvalidBlocks[0].Id}, invalid", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"transaction {pending}: undecided in block {ledger.Pending.Id} (undecided by 0.10 rules: 1 valid and 0 invalid of 3 voters; ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith($"transaction {invalid}: invalid in block {ledger.InvalidBlocks[2].Id} (invalid by 0.10 rules: ", StringComparison.Ordinal));
        Assert.Contains("not proven: 0 problems, 2 of 3 selected transactions not in a valid block", lines);
    }

    [Fact]
    public async Task A_public_key_and_an_asset_select_every_transaction_naming_them_read_by_a_scan_that_says_why()
    {
        var user = ledger.Blocks.Where(b => !b.IsGenesis).SelectMany(Transactions).Select(tx => TransactionFacts.Keys(tx).Last()).First();
        var transfer = ledger.Blocks.SelectMany(Transactions).First(tx => tx.GetProperty("operation").GetString() == "TRANSFER");
        var asset = TransactionFacts.AssetId(transfer)!;
        var expected = ledger.Blocks.Where(b => Transactions(b).Any(tx => TransactionFacts.Keys(tx).Contains(user) || TransactionFacts.AssetId(tx) == asset))
            .Select(b => b.Id).ToList();
        Assert.True(expected.Count >= 3, $"only {expected.Count} blocks name the key or the asset");

        var (code, output, error) = await BundleCli.RunAsync("client-backup", "--source", Source, "--public-key", user, "--asset", asset,
            "--out", ledger.File("key-and-asset.tar.gz"), "--federation-keys", ledger.KeyFile);

        Assert.True(code is ExitCodes.Ok or ExitCodes.VerificationFailed, error + output);
        Assert.Contains("bigchain: scanned whole: the server announced no RethinkDB version (reqlite, which evaluates BigchainDB's asset_id index differently); "
                        + "no index covers the public keys of transaction inputs", Lines(output));
        await AssertHoldsExactlyAsync(ledger.File("key-and-asset.tar.gz"), expected);
    }

    [Fact]
    public async Task Without_BigchainDBs_indexes_both_tables_are_scanned_and_the_bundle_is_the_same()
    {
        var block = ledger.PlainValidBlocks.Skip(3).First();

        var (code, output, error) = await BundleCli.RunAsync("client-backup", "--source", Source, "--db", BundleLedgerFixture.Plain,
            "--tx", block.TransactionIds[0], "--out", ledger.File("plain.tar.gz"));


        Assert.True(code == ExitCodes.Ok, error + output);
        Assert.Contains("bigchain: scanned whole: it has no transaction_id index", Lines(output));
        Assert.Contains("votes: scanned whole: it has no block_and_voter index", Lines(output));
        await AssertHoldsExactlyAsync(ledger.File("plain.tar.gz"), [block.Id], BundleLedgerFixture.Plain);
    }

    [Fact]
    public async Task Since_an_earlier_bundle_only_what_is_new_is_added_and_the_result_holds_old_and_new()
    {
        const string db = "growing";
        using var simulator = BundleLedgerFixture.NewSimulator();
        ActorBackup.Ledger.Simulation.SimulationResume? resume = null;
        var first = simulator.Generate(8, resumeAfter: r => resume = r).ToList();
        await ledger.WriteAsync(db, first.SelectMany(r => r.Votes.Prepend(r.Block)));
        var user = Transactions(LedgerReader.ReadBlock(first[5].Block.Json)!).Select(tx => TransactionFacts.Keys(tx).Last()).First();
        var old = ledger.File("growing-1.tar.gz");
        var made = await BundleCli.RunAsync("client-backup", "--source", Source, "--db", db, "--public-key", user, "--out", old);
        var oldBlocks = (await DumpTool.ReadAsync(old)).Tables["bigchain.bigchain"].Select(b => b!["id"]!.GetValue<string>()).ToList();

        var more = simulator.Generate(8, resume).ToList();
        await ledger.WriteAsync(db, more.SelectMany(r => r.Votes.Prepend(r.Block)), create: false);
        var (code, output, error) = await BundleCli.RunAsync("client-backup", "--source", Source, "--db", db, "--since", old, "--out", ledger.File("growing-2.tar.gz"));

        Assert.True(made.Code is ExitCodes.Ok or ExitCodes.VerificationFailed, made.Err + made.Out);
        Assert.True(code is ExitCodes.Ok or ExitCodes.VerificationFailed, error + output);
        var allBlocks = first.Concat(more).Select(r => LedgerReader.ReadBlock(r.Block.Json)!)
            .Where(b => Transactions(b).Any(tx => TransactionFacts.Keys(tx).Contains(user))).Select(b => b.Id).ToList();
        var added = allBlocks.Except(oldBlocks).ToList();
        Assert.NotEmpty(oldBlocks);
        Assert.NotEmpty(added);
        var newVotes = (await ledger.VotesOnAsync(db, allBlocks)).Count - (await ledger.VotesOnAsync(db, oldBlocks)).Count;
        Assert.Contains(Lines(output), l => l.StartsWith($"wrote {ledger.File("growing-2.tar.gz")}: {allBlocks.Count} blocks ({added.Count} new), ", StringComparison.Ordinal)
                                           && l.Contains($"votes ({newVotes} new)", StringComparison.Ordinal));
        await AssertHoldsExactlyAsync(ledger.File("growing-2.tar.gz"), allBlocks, db);
        var manifest = BundleArchive.Open(ledger.File("growing-2.tar.gz")).Manifest!;
        Assert.Equal([user], manifest.Selection.PublicKeys);
        Assert.Equal(2, manifest.Takes.Count);
        Assert.Equal(added.Count, manifest.Takes[1].BlocksAdded);
    }

    [Fact]
    public async Task Dropping_a_vote_or_swapping_a_block_fails_verification_naming_the_record()
    {
        var chosen = ledger.PlainValidBlocks.Skip(4).Take(2).ToList();
        var bundle = await BackupAsync("to-tamper.tar.gz", "--tx", chosen[0].TransactionIds[0], "--tx", chosen[1].TransactionIds[0]);
        var vote = (await ledger.VotesOnAsync(BundleLedgerFixture.Indexed, [chosen[0].Id])).First();
        var other = ledger.PlainValidBlocks.Skip(8).First();
        var swapIn = ledger.File("swap-in.json");
        File.WriteAllText(swapIn, (await ledger.SourceAsync(BundleLedgerFixture.Indexed, "bigchain"))[other.Id].ToJsonString());

        await DumpTool.EditAsync(bundle, ledger.File("dropped.tar.gz"), "votes", vote.Key, "drop");
        await DumpTool.EditAsync(bundle, ledger.File("swapped.tar.gz"), "bigchain", chosen[1].Id, "replace:" + swapIn);
        var dropped = await BundleCli.RunAsync("verify-bundle", ledger.File("dropped.tar.gz"), "--federation-keys", ledger.KeyFile);
        var swapped = await BundleCli.RunAsync("verify-bundle", ledger.File("swapped.tar.gz"), "--federation-keys", ledger.KeyFile);

        Assert.Equal(ExitCodes.VerificationFailed, dropped.Code);
        Assert.Contains($"problem: vote {vote.Key}: listed in the manifest ({vote.Value["node_pubkey"]!.GetValue<string>()}'s vote on block {chosen[0].Id}) but missing from the bundle", Lines(dropped.Out));
        Assert.Equal(ExitCodes.VerificationFailed, swapped.Code);
        var lines = Lines(swapped.Out);
        Assert.Contains($"problem: block {other.Id}: not in the bundle's manifest", lines);
        Assert.Contains($"problem: block {chosen[1].Id}: listed in the manifest but missing from the bundle", lines);
        Assert.Contains($"transaction {chosen[1].TransactionIds[0]}: not found in any block of the bundle", lines);
    }

    [Fact]
    public async Task Keys_from_the_manifest_are_named_as_the_bundles_own_word_and_keys_of_another_federation_fail_every_signature()
    {
        var block = ledger.PlainValidBlocks.Skip(6).First();
        var bundle = await BackupAsync("own-word.tar.gz", "--tx", block.TransactionIds[0]);
        var strangers = ledger.File("stranger-keys.json");
        using (var other = new ActorBackup.Ledger.Simulation.FederationSimulator(new("someone-else", Nodes: 3)))
            File.WriteAllText(strangers, other.KeyFile());

        var own = await BundleCli.RunAsync("verify-bundle", bundle);
        var foreign = await BundleCli.RunAsync("verify-bundle", bundle, "--federation-keys", strangers);

        Assert.Equal(ExitCodes.Ok, own.Code);
        Assert.Contains("trusted keys: 3, from the manifest of own-word.tar.gz (the voters listed by the bundle's blocks)", Lines(own.Out));
        Assert.Contains(Lines(own.Out), l => l.StartsWith("warning: these keys are the bundle's own word", StringComparison.Ordinal));
        Assert.Equal(ExitCodes.VerificationFailed, foreign.Code);
        Assert.Contains(Lines(foreign.Out), l => l.StartsWith($"problem: block {block.Id}: SignerNotInFederation: ", StringComparison.Ordinal));
        Assert.Contains($"transaction {block.TransactionIds[0]}: not found in any block of the bundle", Lines(foreign.Out));
    }

    [Fact]
    public async Task A_transaction_no_block_holds_is_reported_not_found_and_the_bundle_still_written()
    {
        var missing = new string('e', 64);

        var (code, output, _) = await BundleCli.RunAsync("client-backup", "--source", Source, "--tx", missing, "--out", ledger.File("nothing.tar.gz"));

        Assert.Equal(ExitCodes.VerificationFailed, code);
        Assert.Contains($"transaction {missing}: not found in any block of the bundle", Lines(output));
        Assert.Empty((await DumpTool.ReadAsync(ledger.File("nothing.tar.gz"))).Tables["bigchain.bigchain"]);
    }

    private static IEnumerable<System.Text.Json.JsonElement> Transactions(Block block)
    {
        using var document = System.Text.Json.JsonDocument.Parse(block.Json);
        return document.RootElement.GetProperty("block").GetProperty("transactions").EnumerateArray().Select(tx => tx.Clone()).ToList();
    }
}
