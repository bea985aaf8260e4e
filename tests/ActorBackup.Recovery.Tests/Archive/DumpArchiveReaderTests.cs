using System.Text.Json;
using ActorBackup.Recovery.Archive;
using ActorBackup.Sandbox.Processes;

namespace ActorBackup.Recovery.Tests.Archive;

public class DumpArchiveReaderTests
{
    private const string Top = "rethinkdb_dump_2020-01-02T03:04:05";
    private const string Info = """{"db": {"name": "bigchain", "type": "DB"}, "indexes": [], "name": "t", "primary_key": "id", "type": "TABLE"}""" + "\n";

    private static ArchiveFormatException Refused(string path, DumpArchiveReaderOptions? options = null) =>
        Assert.Throws<ArchiveFormatException>(() => DumpArchiveReader.Open(path, options));

    [Fact]
    public async Task What_the_writer_wrote_reads_back_equal_table_by_table()
    {
        using var dir = new TempDir();
        var blocks = Enumerable.Range(0, 700).Select(i => $$"""{"id":"b{{i:D4}}","n":{{i}}.0,"txs":[{"k":"ü{{i}}"},[1e3,[]]]}""").ToArray();
        var votes = Enumerable.Range(0, 50).Select(i => $$"""{"id":{{i}},"big":12345678901234567890}""").ToArray();
        var blocksInfo = new TableInfo("bigchain", "blocks", "id", [JsonDocument.Parse("""{"index":"ts","function":{}}""").RootElement]);
        await ArchiveBuilder.WriteAsync(dir.File("a.tar.gz"), ArchiveBuilder.SmallChunks(dir.Path),
            (blocksInfo, blocks), (ArchiveBuilder.Info("bigchain", "votes", "vid"), votes), (ArchiveBuilder.Info("bigchain", "empty"), []));

        var reader = DumpArchiveReader.Open(dir.File("a.tar.gz"));
        var read = reader.ReadDocuments().GroupBy(d => d.Table.Info.Name).ToDictionary(g => g.Key, g => g.Select(d => d.Document).ToList());

        Assert.Equal(["blocks", "votes", "empty"], reader.Tables.Select(t => t.Info.Name));
        Assert.Equal([700L, 50L, 0L], reader.Tables.Select(t => t.DocumentCount));
        Assert.Equal("vid", reader.Tables[1].Info.PrimaryKey);
        Assert.True(JsonElement.DeepEquals(blocksInfo.Indexes.Single(), reader.Tables[0].Info.Indexes.Single()));
        Assert.Equal(blocks.Length, read["blocks"].Count);
        Assert.All(blocks.Zip(read["blocks"]), p => Assert.True(JsonElement.DeepEquals(JsonDocument.Parse(p.Item1).RootElement, p.Item2), p.Item1));
        Assert.All(votes.Zip(read["votes"]), p => Assert.Equal("12345678901234567890", p.Item2.GetProperty("big").GetRawText()));
        Assert.False(read.ContainsKey("empty"));
    }

    [Theory]
    [InlineData("-czf")]
    [InlineData("-cf")]
    public async Task An_archive_made_by_gnu_tar_in_the_real_tools_layout_is_read_with_array_and_ndjson_data(string tarFlags)
    {
        using var dir = new TempDir();
        var folder = Path.Combine(dir.Path, "src", Top, "bigchain");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "blocks.json"), "[\n{\"id\": \"a\", \"v\": 1},\n{\"id\": \"b\", \"v\": [2, {\"w\": null}]}\n]\n");
        await File.WriteAllTextAsync(Path.Combine(folder, "blocks.info"), Info);
        await File.WriteAllTextAsync(Path.Combine(folder, "votes.json"), "{\"id\": 1}\n{\"id\": 2}\r\n\t {\"id\": 3}{\"id\": 4}");
        await File.WriteAllTextAsync(Path.Combine(folder, "votes.info"), Info.Replace("\"id\"", "\"vote_id\""));
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "ignored");
        var (code, output) = await ProcessRunner.RunAsync("tar", [tarFlags, dir.File("real.tar"), "-C", Path.Combine(dir.Path, "src"), Top], dir.Path, TimeSpan.FromSeconds(30));
        Assert.True(code == 0, output);

        var reader = DumpArchiveReader.Open(dir.File("real.tar"));
        var docs = reader.ReadDocuments().ToList();

        Assert.Equal(Top, reader.TopFolder);
        Assert.Equal(["blocks", "votes"], reader.Tables.Select(t => t.Info.Name).Order());
        Assert.Equal("vote_id", reader.Tables.Single(t => t.Info.Name == "votes").Info.PrimaryKey);
        Assert.Equal(["a", "b"], docs.Where(d => d.Table.Info.Name == "blocks").Select(d => d.Document.GetProperty("id").GetString()));
        Assert.Equal([1, 2, 3, 4], docs.Where(d => d.Table.Info.Name == "votes").Select(d => d.Document.GetProperty("id").GetInt32()));
    }

    [Fact]
    public async Task A_truncated_gzip_is_refused()
    {
        using var dir = new TempDir();
        var rows = Enumerable.Range(0, 2000).Select(i => $$"""{"id":{{i}},"text":"row {{i}} {{Guid.NewGuid()}}"}""").ToArray();
        await ArchiveBuilder.WriteAsync(dir.File("a.tar.gz"), ArchiveBuilder.SmallChunks(dir.Path), (ArchiveBuilder.Info("bigchain", "t"), rows));
        var bytes = await File.ReadAllBytesAsync(dir.File("a.tar.gz"));
        await File.WriteAllBytesAsync(dir.File("cut.tar.gz"), bytes[..(bytes.Length / 2)]);

        var e = Refused(dir.File("cut.tar.gz"));

        Assert.Equal($"{ArchiveBuilder.Top(ArchiveBuilder.DumpTime)}/bigchain/t.json: truncated: unexpected end of data", e.Message);
    }

    [Fact]
    public async Task An_archive_cut_right_after_a_member_is_refused()
    {
        using var dir = new TempDir();
        ArchiveBuilder.WriteRaw(dir.File("a.tar"), false, ($"{Top}/db/t.info", Info), ($"{Top}/db/t.json", "[\n]\n"));
        var bytes = await File.ReadAllBytesAsync(dir.File("a.tar"));
        await File.WriteAllBytesAsync(dir.File("cut.tar"), bytes[..(4 * 512)]);

        Assert.Equal($"{dir.File("cut.tar")}: truncated: unexpected end of data", Refused(dir.File("cut.tar")).Message);
    }

    [Fact]
    public async Task Random_bytes_are_refused()
    {
        using var dir = new TempDir();
        var random = new byte[10_000];
        new Random(7).NextBytes(random);
        await File.WriteAllBytesAsync(dir.File("x.tar.gz"), random);

        Assert.StartsWith($"{dir.File("x.tar.gz")}: not a readable tar archive: ", Refused(dir.File("x.tar.gz")).Message);
    }

    [Fact]
    public void Two_top_folders_are_refused()
    {
        using var dir = new TempDir();
        ArchiveBuilder.WriteRaw(dir.File("a.tar.gz"), true, ($"{Top}/db/t.info", Info), ($"{Top}/db/t.json", "[]"), ("other_dump/db/u.info", Info));

        Assert.Equal($"other_dump/db/u.info: unexpected directory structure: a second top folder 'other_dump' beside '{Top}'", Refused(dir.File("a.tar.gz")).Message);
    }

    [Fact]
    public void A_path_with_four_components_is_refused()
    {
        using var dir = new TempDir();
        ArchiveBuilder.WriteRaw(dir.File("a.tar.gz"), true, ($"{Top}/db/extra/t.json", "[]"));

        Assert.Equal($"{Top}/db/extra/t.json: unexpected directory structure: expected 3 path components (dump folder/db/table.json), found 4", Refused(dir.File("a.tar.gz")).Message);
    }

    [Fact]
    public void Data_without_its_info_is_refused()
    {
        using var dir = new TempDir();
        ArchiveBuilder.WriteRaw(dir.File("a.tar.gz"), true, ($"{Top}/db/t.info", Info), ($"{Top}/db/t.json", "[]"), ($"{Top}/db/u.json", "[]"));

        Assert.Equal($"{Top}/db/u.json: data without its metadata file u.info", Refused(dir.File("a.tar.gz")).Message);
    }

    [Fact]
    public void A_document_over_the_size_cap_is_refused()
    {
        using var dir = new TempDir();
        var big = $$"""[{"id":1},{"id":2,"blob":"{{new string('x', 300_000)}}"}]""";
        ArchiveBuilder.WriteRaw(dir.File("a.tar.gz"), true, ($"{Top}/db/t.info", Info), ($"{Top}/db/t.json", big));

        Assert.Equal($"{Top}/db/t.json: document 2 is larger than the cap of 100000 bytes (at byte 10)",
            Refused(dir.File("a.tar.gz"), new DumpArchiveReaderOptions { MaxDocumentBytes = 100_000 }).Message);
    }

    [Fact]
    public void Nesting_deeper_than_the_cap_is_refused()
    {
        using var dir = new TempDir();
        var deep = "[{\"id\":1,\"a\":" + new string('[', 20) + new string(']', 20) + "}]";
        ArchiveBuilder.WriteRaw(dir.File("a.tar.gz"), true, ($"{Top}/db/t.info", Info), ($"{Top}/db/t.json", deep));

        Assert.StartsWith($"{Top}/db/t.json: invalid JSON: The maximum configured depth of 11 has been exceeded",
            Refused(dir.File("a.tar.gz"), new DumpArchiveReaderOptions { MaxNestingDepth = 10 }).Message);
    }

    [Fact]
    public void Invalid_json_in_a_member_is_refused_with_its_offset()
    {
        using var dir = new TempDir();
        ArchiveBuilder.WriteRaw(dir.File("a.tar.gz"), true, ($"{Top}/db/t.info", Info), ($"{Top}/db/t.json", "[\n{\"id\": 1},\n{\"id\": 2,}\n]\n"));

        Assert.StartsWith($"{Top}/db/t.json: invalid JSON: ", Refused(dir.File("a.tar.gz")).Message);
    }

    [Fact]
    public void A_path_escaping_the_folder_is_refused()
    {
        using var dir = new TempDir();
        ArchiveBuilder.WriteRaw(dir.File("a.tar.gz"), true, ($"{Top}/../db/t.json", "[]"));

        Assert.Equal($"{Top}/../db/t.json: the path escapes the archive folder ('..')", Refused(dir.File("a.tar.gz")).Message);
    }

    [Fact]
    public void An_info_without_a_primary_key_is_refused()
    {
        using var dir = new TempDir();
        ArchiveBuilder.WriteRaw(dir.File("a.tar.gz"), true, ($"{Top}/db/t.info", "{\"name\": \"t\"}\n"), ($"{Top}/db/t.json", "[]"));

        Assert.Equal($"{Top}/db/t.info: not table metadata: it has no \"primary_key\" string", Refused(dir.File("a.tar.gz")).Message);
    }

    [Fact]
    public void An_archive_without_dump_files_is_refused()
    {
        using var dir = new TempDir();
        ArchiveBuilder.WriteRaw(dir.File("a.tar.gz"), true, ("readme.txt", "hello"));

        Assert.Equal($"{dir.File("a.tar.gz")}: the archive has no .json or .info files", Refused(dir.File("a.tar.gz")).Message);
    }
}
