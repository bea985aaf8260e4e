using ActorBackup.Cli.CommandLine;

namespace ActorBackup.Cli.Tests.CommandLine;

public sealed class ParsedArgsTests
{
    private static readonly OptionSpec[] Options =
    [
        new("source", "HOST:PORT", "Where to read.", Default: "127.0.0.1:28015"),
        new("nodes", "N", "How many.", Default: "4"),
        new("rate", "N", "How fast.", Default: "0"),
        new("db", "NAME", "Database.", Required: true),
        new("table", "NAME", "Tables.", Repeatable: true),
        OptionSpec.Flag("json", "Machine output."),
    ];

    [Fact]
    public void Values_are_read_in_both_spellings_and_defaults_fill_the_rest()
    {
        var args = ParsedArgs.Parse("x", Options, ["--db", "bigchain", "--nodes=7", "--json", "pos"]);

        Assert.Equal("bigchain", args.GetString("db"));
        Assert.Equal(7, args.GetInt("nodes", min: 1));
        Assert.True(args.GetFlag("json"));
        Assert.Equal(("127.0.0.1", 28015), args.GetEndpoint("source"));
        Assert.False(args.Has("source"));
        Assert.Equal(["pos"], args.Positional);
    }

    [Fact]
    public void A_repeatable_option_collects_every_value_in_order()
    {
        var args = ParsedArgs.Parse("x", Options, ["--db", "d", "--table", "votes", "--table", "bigchain"]);

        Assert.Equal(["votes", "bigchain"], args.GetAll("table"));
    }

    [Theory]
    [InlineData(new[] { "--db", "d", "--bogus" }, "unknown option --bogus")]
    [InlineData(new[] { "--nodes", "3" }, "--db NAME is required")]
    [InlineData(new[] { "--db" }, "--db needs a value (NAME)")]
    [InlineData(new[] { "--db", "a", "--db", "b" }, "--db given more than once")]
    [InlineData(new[] { "--db", "a", "--json=yes" }, "--json is a flag and takes no value (got 'yes')")]
    public void Bad_command_lines_are_refused_with_one_line_naming_the_option(string[] argv, string message)
    {
        var e = Assert.Throws<CliError>(() => ParsedArgs.Parse("x", Options, argv));

        Assert.Equal(message, e.Message);
        Assert.Equal(ExitCodes.Usage, e.ExitCode);
    }

    [Theory]
    [InlineData("--nodes", "0", "--nodes must be an integer of at least 1 (got '0')")]
    [InlineData("--nodes", "four", "--nodes must be an integer of at least 1 (got 'four')")]
    [InlineData("--rate", "NaN", "--rate must be a number of at least 0 (got 'NaN')")]
    [InlineData("--source", "localhost", "--source must be HOST:PORT with a port from 1 to 65535 (got 'localhost')")]
    [InlineData("--source", "h:70000", "--source must be HOST:PORT with a port from 1 to 65535 (got 'h:70000')")]
    public void Bad_values_are_refused_with_one_line_naming_the_option_and_the_value(string option, string value, string message)
    {
        var args = ParsedArgs.Parse("x", Options, ["--db", "d", option, value]);

        var e = Assert.Throws<CliError>(() =>
        {
            _ = args.GetInt("nodes", min: 1);
            _ = args.GetDouble("rate", min: 0);
            _ = args.GetEndpoint("source");
        });
        Assert.Equal(message, e.Message);
    }
}
