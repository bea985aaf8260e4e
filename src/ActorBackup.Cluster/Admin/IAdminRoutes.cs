using System.Net;

namespace ActorBackup.Cluster.Admin;

/// <summary>A family of admin endpoint routes beyond the built-in status, metrics and health.</summary>
public interface IAdminRoutes
{
    /// <summary>Answers the request and returns true when <paramref name="path"/> is one of these routes; false leaves it to others.</summary>
    Task<bool> TryHandleAsync(HttpListenerContext context, string path, CancellationToken cancellationToken);
}
