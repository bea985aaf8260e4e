using System.Text.Json;
using ActorBackup.ReQL.Ast;
using Xunit;

namespace ActorBackup.ReQL.Tests.Ast;

public sealed class AstInteropTests(JsDriverWireJsonFixture js) : IClassFixture<JsDriverWireJsonFixture>
{
    private static readonly string[] EncodedDifferently = ["date_value"];

    [Theory]
    [MemberData(nameof(AstInteropCases.Names), MemberType = typeof(AstInteropCases))]
    public void Our_wire_json_equals_the_official_javascript_driver(string name)
    {
        Assert.True(js.WireJson.TryGetValue(name, out var expected), $"AstInteropCases.js has no case '{name}'.");
        Assert.DoesNotContain("js_error", expected);
        var actual = AstInteropCases.All[name]().ToWireJson();

        Assert.Equal(WireJsonNormalizer.Normalize(expected), WireJsonNormalizer.Normalize(actual));
    }

    [Fact]
    public void The_javascript_script_and_the_csharp_table_name_the_same_cases()
    {
        var ours = AstInteropCases.All.Keys.Concat(EncodedDifferently).Order();
        Assert.Equal(ours, js.WireJson.Keys.Order());
    }

    [Fact]
    public void A_date_is_sent_as_a_time_object_where_the_javascript_driver_sends_an_iso8601_term()
    {
        // Both denote the same instant and RethinkDB accepts both; the TIME object keeps the caller's offset
        // and needs no parsing on the server.
        Assert.Equal("""[99,["2017-01-02T02:04:05.678Z"]]""", js.WireJson["date_value"]);
        var ours = R.Expr(new DateTimeOffset(2017, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(1))).ToWireJson();
        Assert.Equal("""{"$reql_type$":"TIME","epoch_time":1483322645.678,"timezone":"+01:00"}""", ours);

        using var jsTerm = JsonDocument.Parse(js.WireJson["date_value"]);
        var jsInstant = DateTimeOffset.Parse(jsTerm.RootElement[1][0].GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        using var ourTime = JsonDocument.Parse(ours);
        var ourInstant = DateTimeOffset.UnixEpoch.AddMilliseconds((double)(ourTime.RootElement.GetProperty("epoch_time").GetDecimal() * 1000));
        Assert.Equal(jsInstant, ourInstant);
    }
}
