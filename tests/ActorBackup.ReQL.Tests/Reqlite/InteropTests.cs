using System.Text.Json;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;
using ActorBackup.Testing;

namespace ActorBackup.ReQL.Tests.Reqlite;

/// <summary>Documents cross between the official JavaScript driver and ours unchanged, in both directions.</summary>
public class InteropTests(ReqliteFixture reqlite) : IClassFixture<ReqliteFixture>
{
    private readonly Connection _conn = reqlite.Connection;

    private const string Documents = """
        [
          {"id": "a", "n": 1, "f": 0.1, "neg": -2.5e-7, "big": 9007199254740991, "t": true, "nil": null,
           "s": "naïve – ünïcödé ✓ \"quoted\" \\ back", "list": [1, "two", [3, {"four": 4}]], "obj": {"deep": {"deeper": []}}},
          {"id": "b", "tx": {"operation": "CREATE", "inputs": [{"fulfillment": "pGSAIP", "owners_before": ["3LZ"]}], "version": "1.0"}},
          {"id": "c", "empty": {}, "emptyList": [], "unicodeKey€": "€"}
        ]
        """;

    private const string JsWrite = """
        const r = require('rethinkdb');
        (async () => {
          const conn = await r.connect({ host: '127.0.0.1', port: Number(process.argv[2]) });
          if (!(await r.dbList().run(conn)).includes('interop')) await r.dbCreate('interop').run(conn);
          await r.db('interop').tableCreate(process.argv[3]).run(conn);
          await r.db('interop').table(process.argv[3]).insert(JSON.parse(process.argv[4])).run(conn);
          await conn.close();
        })().catch(e => { console.error(e.message); process.exit(1); });
        """;

    private const string JsRead = """
        const r = require('rethinkdb');
        (async () => {
          const conn = await r.connect({ host: '127.0.0.1', port: Number(process.argv[2]) });
          const rows = await (await r.db('interop').table(process.argv[3]).run(conn)).toArray();
          rows.sort((x, y) => (x.id < y.id ? -1 : 1));
          process.stdout.write(JSON.stringify(rows));
          await conn.close();
        })().catch(e => { console.error(e.message); process.exit(1); });
        """;

    private static JsonElement[] Expected() => JsonDocument.Parse(Documents).RootElement.EnumerateArray().ToArray();

    [Fact]
    public async Task Documents_written_by_the_official_javascript_driver_read_back_identical()
    {
        await NodeTools.RunScriptAsync(JsWrite, [reqlite.Server.Port.ToString(), "from_js", Documents], TimeSpan.FromSeconds(60));

        var read = new List<JsonElement>();
        await using (var cursor = await R.Db("interop").Table("from_js").RunCursorAsync(_conn))
            await foreach (var doc in cursor)
                read.Add(doc);

        AssertSameDocuments(Expected(), read.OrderBy(d => d.GetProperty("id").GetString(), StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task Documents_written_by_our_driver_read_back_identical_in_the_official_javascript_driver()
    {
        await EnsureDbAsync();
        await R.Db("interop").TableCreate("from_us").RunAtomAsync(_conn);
        var result = await R.Db("interop").Table("from_us").Insert(Expected()).RunWriteAsync(_conn);
        Assert.Equal(3, result.Inserted);

        var output = await NodeTools.RunScriptAsync(JsRead, [reqlite.Server.Port.ToString(), "from_us"], TimeSpan.FromSeconds(60));

        AssertSameDocuments(Expected(), JsonDocument.Parse(output).RootElement.EnumerateArray().ToArray());
    }

    private async Task EnsureDbAsync()
    {
        if (!(await R.DbList().RunAtomAsync(_conn)).EnumerateArray().Any(d => d.GetString() == "interop"))
            await R.DbCreate("interop").RunAtomAsync(_conn);
    }

    private static void AssertSameDocuments(JsonElement[] expected, JsonElement[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(JsonElement.DeepEquals(expected[i], actual[i]), $"expected {expected[i].GetRawText()}\nbut got  {actual[i].GetRawText()}");
    }
}
