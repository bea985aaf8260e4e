using System.Text.Json;
using System.Text.Json.Nodes;
using ActorBackup.ReQL.Ast;
using ActorBackup.Testing;
using Xunit;

namespace ActorBackup.ReQL.Tests.Ast;

public sealed class AstDatumTests
{
    private static string Wire(object? value) => R.Expr(value).ToWireJson();

    private sealed record Vote(string NodePubkey, bool IsBlockValid, int[] Round);

    private enum Color { Red }

    private sealed class Node
    {
        public Node? Next { get; set; }
    }

    [Fact]
    public void Number_tokens_of_parsed_json_are_written_exactly_as_in_the_source()
    {
        const string source = """{"a":1.0,"b":12345678901234567890,"c":-0.0,"d":1E+2,"e":0.1000,"f":[1.50,2e-7]}""";
        const string expected = """{"a":1.0,"b":12345678901234567890,"c":-0.0,"d":1E+2,"e":0.1000,"f":[2,[1.50,2e-7]]}""";
        using var document = JsonDocument.Parse(source);
        Assert.Equal(expected, Wire(document));
        Assert.Equal(expected, Wire(document.RootElement));
        Assert.Equal(expected, Wire(JsonNode.Parse(source)));
    }

    [Fact]
    public void Strings_and_names_of_parsed_json_keep_their_escapes()
    {
        const string source = """{"a\"b":"caf\u00e9 \"x\"","plain":"\ud83d\ude00"}""";
        Assert.Equal(source, Wire(JsonDocument.Parse(source).RootElement));
    }

    [Fact]
    public void A_parsed_document_can_be_disposed_before_the_term_is_written()
    {
        ReqlExpr term;
        using (var document = JsonDocument.Parse("""{"n":[1.0]}"""))
            term = R.Expr(document.RootElement);
        Assert.Equal("""{"n":[2,[1.0]]}""", term.ToWireJson());
    }

    [Fact]
    public void A_bigchaindb_block_goes_on_the_wire_with_every_token_as_in_the_fixture()
    {
        var source = File.ReadAllText(Path.Combine(RepoPaths.BigchainDbFixtures, "gen_v0.10.3_block_create.json"));
        using var document = JsonDocument.Parse(source);
        var wire = R.Table("bigchain").Insert(document.RootElement).ToWireJson();

        var sent = JsonNode.Parse(wire)!.AsArray()[1]!.AsArray()[1];
        Assert.Equal(JsonNode.Parse(source)!.ToJsonString(), Unwrap(sent)!.ToJsonString());
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Nan_and_infinities_are_refused_as_datums(double value)
    {
        var error = Assert.Throws<ArgumentException>(() => R.Expr(new { height = value }));
        Assert.Equal($"{value} is not a valid ReQL datum: JSON has no NaN or infinity, and RethinkDB only stores finite numbers.", error.Message);
        Assert.Throws<ArgumentException>(() => R.Expr((float)value));
        Assert.Throws<ArgumentException>(() => R.Expr(new JsonArray(JsonValue.Create(value))));
        Assert.Throws<ArgumentException>(() => R.Table("t").Get(1).Update(new Dictionary<string, object> { ["x"] = value }));
    }

    [Fact]
    public void Every_integer_type_is_written_exactly()
    {
        Assert.Equal("255", Wire((byte)255));
        Assert.Equal("-128", Wire((sbyte)-128));
        Assert.Equal("-32768", Wire(short.MinValue));
        Assert.Equal("65535", Wire(ushort.MaxValue));
        Assert.Equal("-2147483648", Wire(int.MinValue));
        Assert.Equal("4294967295", Wire(uint.MaxValue));
        Assert.Equal("-9223372036854775808", Wire(long.MinValue));
        Assert.Equal("18446744073709551615", Wire(ulong.MaxValue));
    }

    [Fact]
    public void Fractional_numbers_are_written_in_their_shortest_exact_form()
    {
        Assert.Equal("0.1", Wire(0.1));
        Assert.Equal("0.1", Wire(0.1f));
        Assert.Equal("1.10", Wire(1.10m));
        Assert.Equal("1", Wire(1.0));
    }

    [Fact]
    public void Scalars_strings_chars_guids_booleans_and_null_are_plain_datums()
    {
        Assert.Equal("\"a+b<é>\"", Wire("a+b<é>"));
        Assert.Equal("\"x\"", Wire('x'));
        Assert.Equal("\"6f9619ff-8b86-d011-b42d-00cf4fc964ff\"", Wire(Guid.Parse("6F9619FF-8B86-D011-B42D-00CF4FC964FF")));
        Assert.Equal("false", Wire(false));
        Assert.Equal("null", Wire(null));
    }

    [Fact]
    public void Nested_arrays_are_wrapped_in_make_array_at_every_level()
    {
        Assert.Equal("[2,[[2,[1,2]],[2,[]],[2,[[2,[\"x\"]]]]]]",
            Wire(new List<object> { new[] { 1, 2 }, Array.Empty<int>(), new[] { new[] { "x" } } }));
        Assert.Equal("""{"a":[2,[[2,[1]]]]}""", Wire(JsonDocument.Parse("""{"a":[[1]]}""")));
    }

    [Fact]
    public void Dates_become_time_pseudo_types_with_their_offset()
    {
        Assert.Equal("""{"$reql_type$":"TIME","epoch_time":1483326245.678,"timezone":"+00:00"}""",
            Wire(new DateTime(2017, 1, 2, 3, 4, 5, 678, DateTimeKind.Utc)));
        Assert.Equal("""{"$reql_type$":"TIME","epoch_time":1483326245,"timezone":"+00:00"}""",
            Wire(new DateTime(2017, 1, 2, 3, 4, 5, DateTimeKind.Unspecified)));
        Assert.Equal("""{"$reql_type$":"TIME","epoch_time":1483346045.5,"timezone":"-05:30"}""",
            Wire(new DateTimeOffset(2017, 1, 2, 3, 4, 5, 500, TimeSpan.FromMinutes(-330))));
        Assert.Equal("""{"$reql_type$":"TIME","epoch_time":-0.001,"timezone":"+00:00"}""",
            Wire(DateTimeOffset.UnixEpoch.AddMilliseconds(-1)));
    }

    [Fact]
    public void Bytes_become_binary_pseudo_types()
    {
        const string expected = """{"$reql_type$":"BINARY","data":"AP8Q"}""";
        byte[] bytes = [0, 255, 16];
        Assert.Equal(expected, Wire(bytes));
        Assert.Equal(expected, Wire(new ReadOnlyMemory<byte>(bytes)));
        Assert.Equal(expected, Wire(new ArraySegment<byte>([9, 0, 255, 16], 1, 3)));
        Assert.Equal(expected, R.Binary(bytes).ToWireJson());
    }

    [Fact]
    public void Pseudo_types_in_json_and_dictionaries_pass_through_without_wrapping_their_arrays()
    {
        const string geometry = """{"$reql_type$":"GEOMETRY","coordinates":[-122.4,37.7],"type":"Point"}""";
        Assert.Equal(geometry, Wire(JsonDocument.Parse(geometry)));
        Assert.Equal(geometry, Wire(JsonNode.Parse(geometry)));
        Assert.Equal("""{"doc":{"$reql_type$":"GROUPED_DATA","data":[[1,2]]}}""",
            Wire(new { doc = new Dictionary<string, object> { ["$reql_type$"] = "GROUPED_DATA", ["data"] = new[] { new[] { 1, 2 } } } }));
    }

    [Fact]
    public void Objects_dictionaries_and_records_keep_their_names_and_order()
    {
        Assert.Equal("""{"NodePubkey":"k","IsBlockValid":true,"Round":[2,[1]]}""", Wire(new Vote("k", true, [1])));
        Assert.Equal("""{"node_pubkey":"k","when":[103,[]]}""", Wire(new { node_pubkey = "k", when = R.Now() }));
        Assert.Equal("""{"b":1,"a":{"c":null}}""",
            Wire(new Dictionary<string, object?> { ["b"] = 1, ["a"] = new Dictionary<string, object?> { ["c"] = null } }));
    }

    [Fact]
    public void Json_nodes_built_in_code_are_converted_like_the_values_they_hold()
    {
        var node = new JsonObject { ["n"] = 1.5, ["list"] = new JsonArray(1, "x", null), ["when"] = null };
        Assert.Equal("""{"n":1.5,"list":[2,[1,"x",null]],"when":null}""", Wire(node));
    }

    [Fact]
    public void Dictionaries_with_keys_other_than_strings_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => R.Expr(new Dictionary<int, string> { [1] = "a" }));
        Assert.Equal("ReQL object keys must be strings; found a key of type Int32.", error.Message);
    }

    [Fact]
    public void Enums_are_refused_as_ambiguous()
    {
        var error = Assert.Throws<ArgumentException>(() => R.Expr(Color.Red));
        Assert.Equal("The enum value Color.Red is ambiguous as a ReQL datum; pass its name or its number explicitly.", error.Message);
    }

    [Fact]
    public void An_object_graph_with_a_cycle_is_refused_instead_of_overflowing_the_stack()
    {
        var node = new Node();
        node.Next = node;
        var error = Assert.Throws<ArgumentException>(() => R.Expr(node));
        Assert.Equal("The value is nested more than 100 levels deep; does the object graph contain a cycle?", error.Message);
    }

    [Fact]
    public void A_value_without_public_properties_is_refused_with_its_type_named()
    {
        var error = Assert.Throws<ArgumentException>(() => R.Expr(new object()));
        Assert.Equal("A System.Object cannot be converted to a ReQL datum: it has no public properties.", error.Message);
    }

    [Fact]
    public void A_delegate_of_another_shape_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => R.Expr((Func<int>)(() => 1)));
        Assert.StartsWith("A Func`1 cannot become a ReQL function", error.Message);
    }

    [Fact]
    public void A_default_json_element_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => R.Expr(default(JsonElement)));
        Assert.Equal("A default (undefined) JsonElement is not a ReQL datum.", error.Message);
    }

    [Fact]
    public void Writing_a_parsed_document_again_allocates_nothing()
    {
        var source = File.ReadAllText(Path.Combine(RepoPaths.BigchainDbFixtures, "gen_v0.10.3_block_create.json"));
        var term = R.Table("bigchain").Insert(JsonDocument.Parse(source).RootElement);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64 * 1024);
        using var writer = new Utf8JsonWriter(buffer, ReqlAst.WireWriterOptions);
        term.WriteTo(writer);
        writer.Flush();

        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        var before = GC.GetAllocatedBytesForCurrentThread();
        term.WriteTo(writer);
        writer.Flush();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static JsonNode? Unwrap(JsonNode? node) => node switch
    {
        JsonArray { Count: 2 } term when term[0]!.GetValue<int>() == (int)TermType.MakeArray =>
            new JsonArray([.. term[1]!.AsArray().Select(item => Unwrap(item?.DeepClone()))]),
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Unwrap(p.Value?.DeepClone())))),
        _ => node?.DeepClone(),
    };
}
