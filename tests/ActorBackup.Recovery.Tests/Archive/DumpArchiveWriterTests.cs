using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using ActorBackup.Recovery.Archive;
using ActorBackup.Sandbox.Processes;

namespace ActorBackup.Recovery.Tests.Archive;

public class DumpArchiveWriterTests
{
    private const string Top = "rethinkdb_dump_2024-05-01T10:20:30";

    private static readonly string[] Rows =
    [
        """{"id":"a","text":"héllo €","emoji":"😀","n":[1.0,1e3,12345678901234567890,-0.5],"nested":{"b":[[],{}],"a":null},"t":true}""",
        """{"id":"b","s":"q\"\\\/\n\t\u0001"}""",
    ];

    private static readonly string ExpectedJson =
        "[\n" +
        """{"id": "a", "text": "h\u00e9llo \u20ac", "emoji": "\ud83d\ude00", "n": [1.0, 1e3, 12345678901234567890, -0.5], "nested": {"b": [[], {}], "a": null}, "t": true}""" +
        ",\n" +
        """{"id": "b", "s": "q\"\\/\n\t\u0001"}""" +
        "\n]\n";

    private static DumpArchiveOptions Options(TempDir dir) => ArchiveBuilder.SmallChunks(dir.Path) with
    {
        DumpTime = new DateTimeOffset(2024, 5, 1, 10, 20, 30, TimeZoneInfo.Local.GetUtcOffset(new DateTime(2024, 5, 1, 10, 20, 30))),
    };

    private static Dictionary<string, byte[]> Members(string path)
    {
        var members = new Dictionary<string, byte[]>();
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry(copyData: true) is { } entry)
        {
            Assert.Equal(TarEntryType.RegularFile, entry.EntryType);
            var content = new MemoryStream();
            entry.DataStream?.CopyTo(content);
            members.Add(entry.Name, content.ToArray());
        }
        return members;
    }

    [Fact]
    public async Task A_json_member_holds_the_rows_byte_for_byte_as_the_python_tool_writes_them()
    {
        using var dir = new TempDir();
        await ArchiveBuilder.WriteAsync(dir.File("a.tar.gz"), Options(dir), (ArchiveBuilder.Info("bigchain", "things"), Rows));

        var json = Members(dir.File("a.tar.gz"))[$"{Top}/bigchain/things.json"];

        Assert.Equal(ExpectedJson, Encoding.ASCII.GetString(json));
    }

    [Fact]
    public async Task An_empty_table_is_an_open_and_a_closing_bracket_on_their_own_lines()
    {
        using var dir = new TempDir();
        await ArchiveBuilder.WriteAsync(dir.File("a.tar.gz"), Options(dir), (ArchiveBuilder.Info("bigchain", "empty"), []));

        Assert.Equal("[\n]\n", Encoding.ASCII.GetString(Members(dir.File("a.tar.gz"))[$"{Top}/bigchain/empty.json"]));
    }

    [Fact]
    public void The_info_line_is_info_with_indexes_replaced_and_write_hook_appended_in_python_format()
    {
        var info = JsonDocument.Parse("""
            {"db":{"id":"d1","name":"bigchain","type":"DB"},"doc_count_estimates":[3],"id":"t1","indexes":["block_timestamp"],"name":"bigchain","primary_key":"id","type":"TABLE"}
            """).RootElement;
        var status = JsonDocument.Parse("""
            [{"function":{"$reql_type$":"BINARY","data":"JHJlcWxfaW5kZXhfZnVuY3Rpb24k"},"geo":false,"index":"block_timestamp","multi":false,"outdated":false,"query":"indexCreate('block_timestamp', function(var1) { return var1(\"block\")(\"timestamp\"); })","ready":true}]
            """).RootElement;

        var line = Encoding.ASCII.GetString(TableInfo.FromSource("bigchain", "bigchain", info, status, null).ToInfoLine());

        Assert.Equal(
            """{"db": {"id": "d1", "name": "bigchain", "type": "DB"}, "doc_count_estimates": [3], "id": "t1", "indexes": [{"function": {"$reql_type$": "BINARY", "data": "JHJlcWxfaW5kZXhfZnVuY3Rpb24k"}, "geo": false, "index": "block_timestamp", "multi": false, "outdated": false, "query": "indexCreate('block_timestamp', function(var1) { return var1(\"block\")(\"timestamp\"); })", "ready": true}], "name": "bigchain", "primary_key": "id", "type": "TABLE", "write_hook": null}""" + "\n",
            line);
    }

    [Fact]
    public async Task The_archive_holds_exactly_one_info_and_one_json_per_table_three_components_deep()
    {
        using var dir = new TempDir();
        await ArchiveBuilder.WriteAsync(dir.File("a.tar.gz"), Options(dir),
            (ArchiveBuilder.Info("bigchain", "blocks"), Rows), (ArchiveBuilder.Info("bigchain", "votes"), []), (ArchiveBuilder.Info("other", "t-1"), Rows));

        var names = Members(dir.File("a.tar.gz")).Keys.Order(StringComparer.Ordinal).ToList();

        Assert.Equal(
            [$"{Top}/bigchain/blocks.info", $"{Top}/bigchain/blocks.json", $"{Top}/bigchain/votes.info", $"{Top}/bigchain/votes.json",
             $"{Top}/other/t-1.info", $"{Top}/other/t-1.json"],
            names);
        Assert.All(names, n => Assert.Equal(3, n.Split('/').Length));
    }

    [Fact]
    public async Task A_large_table_compressed_in_many_chunks_is_still_one_gzip_member_with_a_valid_trailer()
    {
        using var dir = new TempDir();
        var rows = Enumerable.Range(0, 5000).Select(i => $$"""{"id":{{i}},"payload":"{{new string((char)('a' + i % 26), i % 300)}}"}""").ToArray();
        await ArchiveBuilder.WriteAsync(dir.File("a.tar.gz"), Options(dir), (ArchiveBuilder.Info("bigchain", "big"), rows));
        const string script = """
            import sys, zlib
            data = open(sys.argv[1], "rb").read()
            d = zlib.decompressobj(31)
            out = d.decompress(data)
            print(d.eof, len(d.unused_data), len(out) % 512)
            """;

        var (code, output) = await ProcessRunner.RunAsync("python3", ["-c", script, dir.File("a.tar.gz")], dir.Path, TimeSpan.FromSeconds(60));
        var (testCode, testOutput) = await ProcessRunner.RunAsync("gzip", ["-t", dir.File("a.tar.gz")], dir.Path, TimeSpan.FromSeconds(60));
        var json = Encoding.ASCII.GetString(Members(dir.File("a.tar.gz"))[$"{Top}/bigchain/big.json"]);

        Assert.True(code == 0, output);
        Assert.Equal("True 0 0", output.Trim());
        Assert.True(testCode == 0, testOutput);
        Assert.Equal(5000, JsonDocument.Parse(json).RootElement.GetArrayLength());
        Assert.Empty(Directory.GetFiles(dir.Path, "actorbackup-spool-*"));
    }

    [Fact]
    public async Task Gnu_tar_lists_and_extracts_the_archive_with_identical_files()
    {
        using var dir = new TempDir();
        await ArchiveBuilder.WriteAsync(dir.File("a.tar.gz"), Options(dir),
            (ArchiveBuilder.Info("bigchain", "blocks"), Rows), (ArchiveBuilder.Info("bigchain", "votes"), []));
        var expected = Members(dir.File("a.tar.gz"));
        Directory.CreateDirectory(dir.File("out"));

        var (listCode, list) = await ProcessRunner.RunAsync("tar", ["-tzf", dir.File("a.tar.gz")], dir.Path, TimeSpan.FromSeconds(30));
        var (extractCode, extractOutput) = await ProcessRunner.RunAsync("tar", ["-xzf", dir.File("a.tar.gz"), "-C", dir.File("out")], dir.Path, TimeSpan.FromSeconds(30));

        Assert.Equal(0, listCode);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), list.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        Assert.True(extractCode == 0, extractOutput);
        foreach (var (name, content) in expected)
            Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(dir.File("out"), name)));
    }

    [Fact]
    public async Task Pythons_tarfile_and_json_read_the_archive_as_restore_does_and_json_dumps_gives_the_same_bytes()
    {
        using var dir = new TempDir();
        // Values Python prints back identically (its floats come out as repr, so 1e3 would not).
        var rows = Enumerable.Range(0, 300).Select(i => $$"""{"id":"k{{i:D4}}","v":{{i}},"f":{{i}}.5,"s":"ü😀\"{{i}}","a":[{"x":null},[]]}""").ToArray();
        await ArchiveBuilder.WriteAsync(dir.File("a.tar.gz"), Options(dir), (ArchiveBuilder.Info("bigchain", "blocks"), rows), (ArchiveBuilder.Info("bigchain", "votes"), []));
        const string script = """
            import json, sys, tarfile
            with tarfile.open(sys.argv[1], mode="r|*") as tar:
                for m in tar:
                    data = tar.extractfile(m).read().decode("utf-8")
                    if m.name.endswith(".json"):
                        rows = json.loads(data)
                        again = "[" + "".join(("\n" if i == 0 else ",\n") + json.dumps(r) for i, r in enumerate(rows)) + "\n]\n"
                        print(m.name, len(rows), again == data)
                    else:
                        info = json.loads(data)
                        print(m.name, info["primary_key"], json.dumps(info) + "\n" == data)
            """;

        var (code, output) = await ProcessRunner.RunAsync("python3", ["-c", script, dir.File("a.tar.gz")], dir.Path, TimeSpan.FromSeconds(60));

        Assert.True(code == 0, output);
        Assert.Equal(
            [$"{Top}/bigchain/blocks.info id True", $"{Top}/bigchain/blocks.json 300 True", $"{Top}/bigchain/votes.info id True", $"{Top}/bigchain/votes.json 0 True"],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }
}
