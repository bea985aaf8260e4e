using System.Text.Json;
using ActorBackup.Admin.Contract;
using ActorBackup.Admin.Contract.Members;
using ActorBackup.Admin.Contract.Status;
using Akka.Event;
using AkkaCluster = Akka.Cluster.Cluster;

namespace ActorBackup.Cluster.Admin;

/// <summary>
/// <c>GET /members</c>: the members as <c>GET /status</c> lists them, as a JSON array.
/// <c>POST /members/leave?address=ADDR</c> and <c>POST /members/down?address=ADDR</c> (admin token): Akka's Cluster.Leave
/// or Cluster.Down of a current member, answered with a <see cref="MemberChange"/> once asked (the cluster moves it out
/// by gossip). An address that is not a current member is refused with 404 and nothing happens. What
/// <c>actorbackup members list|leave|down</c> sends.
/// </summary>
public sealed class MembersRoute(AkkaCluster cluster, Func<CancellationToken, Task<ClusterStatus>> status, ILoggingAdapter log) : IAdminRoutes
{
    private const string Prefix = "/" + MemberChange.Path;

    public async Task<bool> TryHandleAsync(AdminRequest request, CancellationToken cancellationToken)
    {
        if (request.Path != Prefix && !request.Path.StartsWith(Prefix + "/", StringComparison.Ordinal))
            return false;
        if (request.Path == Prefix)
        {
            if (request.Http.HttpMethod != "GET")
                await JsonReply.SendAsync(request.Response, 405, AdminError.Write($"{Prefix} takes a GET; {Prefix}/leave and {Prefix}/down take a POST"));
            else
                await JsonReply.SendAsync(request.Response, 200, JsonSerializer.Serialize((await status(cancellationToken)).Members, StatusJson.Options));
            return true;
        }
        var action = request.Path.Length > Prefix.Length ? request.Path[(Prefix.Length + 1)..] : "";
        var address = request.Http.QueryString["address"];
        if (!MemberChange.Actions.Contains(action))
        {
            await JsonReply.SendAsync(request.Response, 404, AdminError.Write($"no such route: the member routes are GET {Prefix}, {string.Join(" and ", MemberChange.Actions.Select(a => $"POST {Prefix}/{a}?address=ADDR"))}"));
            return true;
        }
        if (request.Http.HttpMethod != "POST")
        {
            await JsonReply.SendAsync(request.Response, 405, AdminError.Write($"{Prefix}/{action} takes a POST (with the admin token)"));
            return true;
        }
        await request.Body.CopyToAsync(Stream.Null, cancellationToken);
        if (string.IsNullOrWhiteSpace(address))
        {
            await JsonReply.SendAsync(request.Response, 400, AdminError.Write($"{Prefix}/{action} needs ?address=ADDR, a member's address as status lists it"));
            return true;
        }
        var member = cluster.State.Members.FirstOrDefault(m => m.Address.ToString() == address);
        if (member is null)
        {
            await JsonReply.SendAsync(request.Response, 404, AdminError.Write($"{address} is not a member of the cluster (members: {string.Join(", ", cluster.State.Members.Select(m => m.Address.ToString()))})"));
            return true;
        }
        log.Warning("Admin request: {0} of member {1} ({2})", action, address, member.Status);
        if (action == MemberChange.Leave)
            cluster.Leave(member.Address);
        else
            cluster.Down(member.Address);
        await JsonReply.SendAsync(request.Response, 200, new MemberChange(address, action).Write());
        return true;
    }
}
