namespace ActorBackup.Cluster.Admin;

/// <summary>A family of admin endpoint routes beyond the built-in status, metrics and health.</summary>
public interface IAdminRoutes
{
    /// <summary>Answers the request and returns true when its path is one of these routes; false leaves it to others.</summary>
    Task<bool> TryHandleAsync(AdminRequest request, CancellationToken cancellationToken);
}
