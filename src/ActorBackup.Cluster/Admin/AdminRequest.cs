using System.Net;

namespace ActorBackup.Cluster.Admin;

/// <summary>
/// One admin request as the routes see it, once the endpoint let it in: its context, its path (no trailing slash), and
/// its body with the endpoint's bounds on size and time. Routes read the body only through <see cref="Body"/>.
/// </summary>
public sealed record AdminRequest(HttpListenerContext Context, string Path, RequestBody Body)
{
    public HttpListenerRequest Http => Context.Request;

    public HttpListenerResponse Response => Context.Response;
}
