using ActorBackup.ReQL.Ast;
using Xunit;

namespace ActorBackup.ReQL.Tests.Ast;

public sealed class AstWireJsonTests
{
    private static string Wire(ReqlAst term) => WireJsonNormalizer.Normalize(term.ToWireJson());

    [Fact]
    public void The_documentation_example_is_written_exactly() =>
        Assert.Equal("""[39,[[15,[[14,["blog"]],"users"]],{"name":"Michel"}]]""",
            R.Db("blog").Table("users").Filter(new { name = "Michel" }).ToWireJson());

    [Fact]
    public void A_changefeed_on_an_index_range_carries_its_optargs_snake_case() =>
        Assert.Equal(
            """[152,[[182,[[15,[[14,["bigchain"]],"votes"]],1500000000,[181,[]]],{"index":"block_timestamp","right_bound":"closed"}]],{"include_initial":true,"include_states":true,"squash":false}]""",
            R.Db("bigchain").Table("votes").Between(1500000000, R.Maxval())[new { index = "block_timestamp", right_bound = "closed" }]
                .Changes()[new { include_initial = true, include_states = true }].OptArg("squash", false).ToWireJson());

    [Fact]
    public void A_lambda_becomes_a_function_whose_parameter_is_a_variable() =>
        Assert.Equal("""[75,[[15,["bigchain"]],"block_timestamp",[69,[[2,[0]],[170,[[170,[[10,[0]],"block"]],"timestamp"]]]]]]""",
            Wire(R.Table("bigchain").IndexCreate("block_timestamp", doc => doc["block"]["timestamp"])));

    [Fact]
    public void Nested_lambdas_get_distinct_variables()
    {
        var json = R.Table("t").Map(a => R.Table("u").Filter(b => b["x"].Eq(a["x"]))).ToWireJson();
        Assert.Equal("""[38,[[15,["t"]],[69,[[2,[0]],[39,[[15,["u"]],[69,[[2,[1]],[17,[[170,[[10,[1]],"x"]],[170,[[10,[0]],"x"]]]]]]]]]]]]""",
            WireJsonNormalizer.Normalize(json));
    }

    [Fact]
    public void A_string_or_number_index_on_a_term_is_a_bracket_not_an_optarg()
    {
        Assert.Equal("""[170,[[15,["t"]],"a"]]""", R.Table("t")["a"].ToWireJson());
        Assert.Equal("""[170,[[15,["t"]],3]]""", R.Table("t")[3].ToWireJson());
        Assert.Equal("""[170,[[15,["t"]],[14,["x"]]]]""", R.Table("t")[R.Db("x")].ToWireJson());
        Assert.Equal("""[15,["t"],{"read_mode":"single"}]""", R.Table("t")[new { read_mode = "single" }].ToWireJson());
    }

    [Fact]
    public void Optargs_come_from_a_dictionary_too_and_a_repeated_name_keeps_its_place_with_the_new_value() =>
        Assert.Equal("""[56,[[15,["t"]],{"id":1}],{"conflict":"update","durability":"soft"}]""",
            R.Table("t").Insert(new { id = 1 }).OptArg("conflict", "error")
                [new Dictionary<string, object> { ["durability"] = "soft", ["conflict"] = "update" }].ToWireJson());

    [Fact]
    public void Adding_an_optarg_leaves_the_original_term_unchanged()
    {
        var feed = R.Table("votes").Changes();
        var withInitial = feed[new { include_initial = true }];
        Assert.Equal("""[152,[[15,["votes"]]]]""", feed.ToWireJson());
        Assert.Equal("""[152,[[15,["votes"]]],{"include_initial":true}]""", withInitial.ToWireJson());
    }

    [Fact]
    public void Operators_build_the_same_terms_as_the_methods()
    {
        Assert.Equal(R.Expr(1).Gt(2).ToWireJson(), (R.Expr(1) > 2).ToWireJson());
        Assert.Equal(R.Expr(1).Le(R.Expr(2)).ToWireJson(), (R.Expr(1) <= R.Expr(2)).ToWireJson());
        Assert.Equal(R.Expr(5).Sub(R.Expr(1)).ToWireJson(), (5 - R.Expr(1)).ToWireJson());
        Assert.Equal(R.Expr(true).And(false).Not().ToWireJson(), (!(R.Expr(true) & false)).ToWireJson());
    }

    [Fact]
    public void Do_and_funcall_put_the_function_first() =>
        Assert.Equal("""[64,[[69,[[2,[0,1]],[24,[[10,[0]],[10,[1]]]]]],1,2]]""", Wire(R.Do(1, 2, (a, b) => a + b)));

    [Fact]
    public void Index_wait_accepts_a_spliced_list_of_names() =>
        Assert.Equal("""[140,[[15,["t"]],[154,[[2,["a","b"]]]]]]""", R.Table("t").IndexWait(R.Args(new[] { "a", "b" })).ToWireJson());

    [Fact]
    public void A_branch_with_a_missing_else_value_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => R.Branch(true, 1, false, 2));
        Assert.StartsWith("Branch takes test/value pairs followed by one else value; got 4 arguments.", error.Message);
    }

    [Fact]
    public void Optargs_given_as_a_scalar_are_refused_with_the_type_named()
    {
        var error = Assert.Throws<ArgumentException>(() => R.Table("t")[1.5]);
        Assert.Equal("optargs must be an anonymous object or a string-keyed dictionary, not Double.", error.Message);
    }

    [Fact]
    public void An_empty_optarg_name_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => R.Table("t").OptArg("", 1));
        Assert.StartsWith("An optarg name must not be empty.", error.Message);
    }

    [Fact]
    public void A_lambda_returning_null_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => R.Table("t").Map(_ => null!));
        Assert.Equal("A ReQL function must return a term, not null; return R.Expr(null) for a null result.", error.Message);
    }
}
