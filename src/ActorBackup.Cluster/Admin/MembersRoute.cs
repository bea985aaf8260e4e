using System.Net;
using System.Text;
using ActorBackup.Admin.Contract;
using ActorBackup.Admin.Contract.Members;
using Akka.Event;
using AkkaCluster = Akka.Cluster.Cluster;

namespace ActorBackup.Cluster.Admin;

/// <summary>
/// <c>POST /members/leave?address=ADDR</c> and <c>POST /members/down?address=ADDR</c> (admin token): Akka's Cluster.Leave
/// or Cluster.Down of a current member, answered with a <see cref="MemberChange"/> once asked (the cluster moves it out
/// by gossip). An address that is not a current member is refused with 404 and nothing happens. What
/// <c>actorbackup members leave|down</c> sends; the members themselves are listed by <c>GET /status</c>.
/// </summary>
public sealed class MembersRoute(AkkaCluster cluster, ILoggingAdapter log) : IAdminRoutes
{
    private const string Prefix = "/" + MemberChange.Path;

    public async Task<bool> TryHandleAsync(AdminRequest request, CancellationToken cancellationToken)
    {
        if (request.Path != Prefix && !request.Path.StartsWith(Prefix + "/", StringComparison.Ordinal))
            return false;
        var action = request.Path.Length > Prefix.Length ? request.Path[(Prefix.Length + 1)..] : "";
        var address = request.Http.QueryString["address"];
        if (!MemberChange.Actions.Contains(action))
        {
            await JsonReply.SendAsync(request.Response, 404, AdminError.Write($"no such route: the member routes are {string.Join(" and ", MemberChange.Actions.Select(a => $"{Prefix}/{a}?address=ADDR"))}; GET /status lists the members"));
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
