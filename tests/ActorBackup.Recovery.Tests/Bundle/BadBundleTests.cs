using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Recovery.Archive;
using ActorBackup.Recovery.Bundle;

namespace ActorBackup.Recovery.Tests.Bundle;

/// <summary>What verify-bundle and assemble say about files that are not bundles: one line, exit 1, nothing written.</summary>
public sealed class BadBundleTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private async Task<string> VerifyFails(string path)
    {
        var (code, output, error) = await BundleCli.RunAsync("verify-bundle", path);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Empty(output);
        Assert.Single(error.TrimEnd().Split('\n'));
        return error.TrimEnd();
    }

    private string Tar(string name, params (string Member, byte[] Data)[] members)
    {
        var path = _temp.File(name);
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach (var (member, data) in members)
            tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, member) { DataStream = new MemoryStream(data) });
        return path;
    }

    private static readonly byte[] Info = """{"primary_key": "id", "indexes": []}"""u8.ToArray();
    private static readonly byte[] Empty = "[\n]\n"u8.ToArray();

    [Fact]
    public async Task A_file_that_is_not_an_archive_is_one_line()
    {
        var path = _temp.File("random.tar.gz");
        File.WriteAllBytes(path, Encoding.ASCII.GetBytes("this is a shopping list, not a bundle\n"));

        Assert.Equal($"actorbackup verify-bundle: error: {path}: not a tar or gzip archive: 38 bytes, less than one tar header", await VerifyFails(path));
    }

    [Fact]
    public async Task A_dump_with_the_wrong_layout_is_one_line_naming_the_member()
    {
        var path = Tar("flat.tar.gz", ("dump/votes.json", Empty), ("dump/votes.info", Info));

        Assert.Equal("actorbackup verify-bundle: error: dump/votes.json: unexpected directory structure: expected 3 path components (dump folder/db/table.json), found 2",
            await VerifyFails(path));
    }

    [Fact]
    public async Task A_dump_of_other_tables_or_without_a_manifest_is_not_a_bundle()
    {
        var other = Tar("other.tar.gz", ("d/bigchain/backlog.json", Empty), ("d/bigchain/backlog.info", Info));
        var plain = Tar("plain.tar.gz", ("d/bigchain/bigchain.json", Empty), ("d/bigchain/bigchain.info", Info),
            ("d/bigchain/votes.json", Empty), ("d/bigchain/votes.info", Info));

        Assert.Equal($"actorbackup verify-bundle: error: {other}: not a bundle of a ledger: it has no bigchain.bigchain table (it holds bigchain.backlog)", await VerifyFails(other));
        Assert.Equal($"actorbackup verify-bundle: error: {plain}: not a client bundle: it has no bigchain/{BundleLayout.ManifestFile} (bundles are written by `actorbackup client-backup`)",
            await VerifyFails(plain));
    }

    [Fact]
    public async Task A_manifest_that_is_not_one_is_one_line()
    {
        var path = Tar("garbled.tar.gz", ("d/bigchain/bigchain.json", Empty), ("d/bigchain/bigchain.info", Info),
            ("d/bigchain/votes.json", Empty), ("d/bigchain/votes.info", Info), ($"d/bigchain/{BundleLayout.ManifestFile}", """{"format": "actorbackup-client-bundle/1", "selection": 7}"""u8.ToArray()));

        Assert.StartsWith($"actorbackup verify-bundle: error: {path}: {BundleLayout.ManifestFile} is not a bundle manifest: ", await VerifyFails(path));
    }

    [Fact]
    public async Task A_document_over_the_ledgers_size_cap_is_one_line_and_assemble_writes_nothing()
    {
        var huge = Encoding.ASCII.GetBytes("[\n{\"id\": \"" + new string('a', 17 << 20) + "\"}\n]\n");
        var path = Tar("huge.tar.gz", ("d/bigchain/bigchain.json", huge), ("d/bigchain/bigchain.info", Info),
            ("d/bigchain/votes.json", Empty), ("d/bigchain/votes.info", Info));
        var output = _temp.File("ledger.tar.gz");
        var keys = _temp.File("keys.json");
        using (var simulator = new ActorBackup.Ledger.Simulation.FederationSimulator(new("bad-bundles", Nodes: 3)))
            File.WriteAllText(keys, simulator.KeyFile());

        var message = await VerifyFails(path);
        var (code, _, error) = await BundleCli.RunAsync("assemble", "--bundle", path, "--out", output, "--federation-keys", keys);

        Assert.StartsWith("actorbackup verify-bundle: error: d/bigchain/bigchain.json: ", message);
        Assert.Contains($"{LedgerCap}", message);
        Assert.Equal(ExitCodes.Failure, code);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.EnumerateFiles(_temp.Path, "*.partial"));
    }

    [Fact]
    public async Task A_member_claiming_more_bytes_than_the_file_holds_is_one_line()
    {
        var path = _temp.File("claims-8GiB.tar.gz");
        var header = new byte[512];
        Encoding.ASCII.GetBytes("d/bigchain/bigchain.json").CopyTo(header, 0);
        Encoding.ASCII.GetBytes("0000644\0").CopyTo(header, 100);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 108);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 116);
        Encoding.ASCII.GetBytes("100000000000").CopyTo(header, 124);
        Encoding.ASCII.GetBytes("00000000000\0").CopyTo(header, 136);
        header[156] = (byte)'0';
        Encoding.ASCII.GetBytes("ustar\0" + "00").CopyTo(header, 257);
        "        "u8.CopyTo(header.AsSpan(148));
        var sum = header.Sum(b => b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            gzip.Write(header);
            gzip.Write("[\n{\"id\": \"x\"}"u8);
        }

        Assert.Equal($"actorbackup verify-bundle: error: d/bigchain/bigchain.json: truncated: unexpected end of data", await VerifyFails(path));
    }

    private static int LedgerCap => BundleLayout.ReaderOptions.MaxDocumentBytes;
}
