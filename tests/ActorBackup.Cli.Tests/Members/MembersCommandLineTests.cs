using ActorBackup.Cli.CommandLine;

namespace ActorBackup.Cli.Tests.Members;

/// <summary>What `actorbackup members` refuses before it calls any node.</summary>
public sealed class MembersCommandLineTests
{
    [Theory]
    [InlineData("say what to do: members list, members leave ADDRESS or members down ADDRESS")]
    [InlineData("members down needs the member's address, as members list shows it", "down")]
    [InlineData("members leave needs the member's address, as members list shows it", "leave")]
    [InlineData("unknown members command 'kick' (the commands are list, leave and down)", "kick", "akka.tcp://actorbackup@127.0.0.1:4053")]
    [InlineData("members takes one command and at most one address, not list extra", "list", "extra")]
    [InlineData("--json is for members list", "down", "akka.tcp://actorbackup@127.0.0.1:4053", "--json")]
    public void A_command_line_without_a_command_or_an_address_is_a_usage_error(string message, params string[] words)
    {
        var error = new StringWriter();

        var code = Program.Check(["members", .. words], error);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"actorbackup members: error: {message} (hint: see `actorbackup members --help`)\n", error.ToString());
    }
}
