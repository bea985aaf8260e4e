using System.Buffers.Binary;
using System.Text;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;

namespace ActorBackup.ReQL.Tests.Net;

public class QueryWriterTests
{
    private static (ulong Token, string Json) Decode(byte[] frame)
    {
        Assert.Equal(frame.Length - 12, (int)BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(8)));
        return (BinaryPrimitives.ReadUInt64LittleEndian(frame), Encoding.UTF8.GetString(frame.AsSpan(12)));
    }

    [Fact]
    public void A_start_query_is_token_length_and_the_json_array_with_the_db_as_a_db_term()
    {
        var term = new RawTerm("""[39,[[15,[[14,["blog"]],"users"]],{"name":"Michel"}]]""");
        var (token, json) = Decode(QueryWriter.Encode(0x0102030405060708, QueryType.Start, term, new RunOptions { Db = "blog" }));

        Assert.Equal(0x0102030405060708UL, token);
        Assert.Equal("""[1,[39,[[15,[[14,["blog"]],"users"]],{"name":"Michel"}]],{"db":[14,["blog"]]}]""", json);
    }

    [Fact]
    public void The_connection_db_is_used_when_the_query_names_none()
    {
        var (_, json) = Decode(QueryWriter.Encode(1, QueryType.Start, new RawTerm("1"), null, defaultDb: "bigchain"));

        Assert.Equal("""[1,1,{"db":[14,["bigchain"]]}]""", json);
    }

    [Fact]
    public void Named_and_arbitrary_global_optargs_are_written_as_terms()
    {
        var options = new RunOptions
        {
            Durability = "soft",
            ReadMode = "outdated",
            ArrayLimit = 200000,
            TimeFormat = "raw",
            BinaryFormat = "raw",
            Extra = new Dictionary<string, object> { ["max_batch_rows"] = 40, ["profile"] = false, ["min_batch_rows"] = new RawTerm("[2,[]]") },
        };
        var (_, json) = Decode(QueryWriter.Encode(1, QueryType.Start, new RawTerm("1"), options));

        Assert.Equal(
            """[1,1,{"durability":"soft","read_mode":"outdated","array_limit":200000,"time_format":"raw","binary_format":"raw","max_batch_rows":40,"profile":false,"min_batch_rows":[2,[]]}]""",
            json);
    }

    [Fact]
    public void An_unsupported_optarg_value_is_refused_with_its_name()
    {
        var options = new RunOptions { Extra = new Dictionary<string, object> { ["weird"] = new List<int>() } };

        var error = Assert.Throws<ArgumentException>(() => QueryWriter.Encode(1, QueryType.Start, new RawTerm("1"), options));
        Assert.StartsWith("Global optarg `weird` has a value of type List`1", error.Message);
    }

    [Theory]
    [InlineData(QueryType.Continue, "[2]")]
    [InlineData(QueryType.Stop, "[3]")]
    [InlineData(QueryType.NoreplyWait, "[4]")]
    [InlineData(QueryType.ServerInfo, "[5]")]
    public void Control_queries_are_just_their_type(QueryType type, string expected) =>
        Assert.Equal(expected, Decode(QueryWriter.Encode(9, type)).Json);

    [Fact]
    public void A_noreply_query_carries_the_noreply_optarg() =>
        Assert.Equal("""[1,1,{"noreply":true}]""", Decode(QueryWriter.Encode(1, QueryType.Start, new RawTerm("1"), noreply: true)).Json);

    [Fact]
    public void A_raw_term_refuses_invalid_json()
    {
        var error = Assert.Throws<ArgumentException>(() => new RawTerm("[15,"));
        Assert.StartsWith("Not valid JSON for a ReQL term", error.Message);
    }
}
