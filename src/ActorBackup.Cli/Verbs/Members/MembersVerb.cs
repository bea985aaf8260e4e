using System.Net;
using System.Text.Json;
using ActorBackup.Admin.Contract.Members;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Verbs.Status;
using ActorBackup.Recovery.FromCluster;

namespace ActorBackup.Cli.Verbs.Members;

/// <summary>
/// `actorbackup members list|leave|down`: the cluster's members as status lists them, or a member asked to leave (it
/// hands over its replicas and stops) or downed (removed at once: a node that is gone for good and stays listed as
/// unreachable, since the cluster downs no one by itself). leave and down need the admin token.
/// </summary>
public sealed class MembersVerb : IVerb
{
    private const string List = "list";

    public string Name => "members";

    public string Summary => "List the members (members list), or have one leave (members leave ADDRESS) or be removed (members down ADDRESS).";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        SharedOptions.Admin("Admin endpoint of any node."),
        SharedOptions.TokenFile,
        SharedOptions.Json("list: print the members as JSON."),
        SharedOptions.Timeout("Give up on the endpoint after this long.", 10, 1, 3600),
    ];

    public IReadOnlyList<string> Examples { get; } =
    [
        "actorbackup members list",
        "actorbackup members leave akka.tcp://actorbackup@10.0.0.7:4053 --admin http://10.0.0.5:8558 --token-file admin.token",
        "actorbackup members down akka.tcp://actorbackup@10.0.0.7:4053 --admin http://10.0.0.5:8558 --token-file admin.token",
    ];

    public void Check(ParsedArgs args) => Command(args);

    public async Task<int> RunAsync(ParsedArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var (action, address) = Command(args);
        using var http = AdminCredentials.Client(args, args.GetSeconds("timeout"));
        var admin = new AdminClient(http, args.GetUrl("admin").AbsoluteUri);
        if (action == List)
        {
            IReadOnlyList<MemberEntry> members;
            try
            {
                members = await admin.MembersAsync(cancellationToken);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                throw new CliError($"cannot read the members from {admin.BaseUrl}: {AdminClient.Reason(e)}", hint: "is a node running there? see actorbackup.admin.endpoint");
            }
            if (args.GetFlag("json"))
                await output.WriteLineAsync(JsonSerializer.Serialize(members, StatusJson.Options));
            else
                StatusReport.WriteMembers(output, members);
            return ExitCodes.Ok;
        }
        MemberChange change;
        try
        {
            change = await admin.ChangeMemberAsync(action, address!, cancellationToken);
        }
        catch (HttpRequestException e) when (e.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new CliError(e.Message, hint: $"members leave and down need the admin token: --token-file FILE or ${ActorBackup.Admin.Contract.Access.AdminToken.Variable}");
        }
        catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new CliError(e.Message, hint: "`actorbackup members list` shows the members' addresses");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            throw new CliError($"cannot ask {admin.BaseUrl} to {action} {address}: {AdminClient.Reason(e)}");
        }
        await output.WriteLineAsync(change.Action == MemberChange.Leave
            ? $"{change.Address} is leaving: it hands its replicas over to the other members and stops (`actorbackup members list` shows it go)."
            : $"{change.Address} is down: the cluster removes it and places its replicas on the other members (`actorbackup status` shows every shard back at R).");
        return ExitCodes.Ok;
    }

    private (string Action, string? Address) Command(ParsedArgs args)
    {
        var command = args.Positional switch
        {
            [List] => (List, (string?)null),
            [var action, var address] when MemberChange.Actions.Contains(action) => (action, address),
            [var action] when MemberChange.Actions.Contains(action) => throw CliError.Usage($"members {action} needs the member's address, as members list shows it", Name),
            [] => throw CliError.Usage("say what to do: members list, members leave ADDRESS or members down ADDRESS", Name),
            [var word, ..] when word != List && !MemberChange.Actions.Contains(word) =>
                throw CliError.Usage($"unknown members command '{word}' (the commands are list, leave and down)", Name),
            _ => throw CliError.Usage($"members takes one command and at most one address, not {string.Join(" ", args.Positional)}", Name),
        };
        if (command.Item1 != List && args.GetFlag("json"))
            throw CliError.Usage("--json is for members list", Name);
        return command;
    }
}
