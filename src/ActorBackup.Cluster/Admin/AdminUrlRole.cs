using System.Text.Json;
using Akka.Configuration;

namespace ActorBackup.Cluster.Admin;

/// <summary>
/// A node's admin URL travels with its membership as the cluster role "admin:&lt;url&gt;", so that a client
/// holding any one node's URL finds every other node's from <c>/status</c>; roles are gossiped with the
/// member and need no replicated data of their own.
/// </summary>
public static class AdminUrlRole
{
    public const string Prefix = "admin:";

    /// <summary>Adds the role for <paramref name="url"/> to the roles <paramref name="config"/> already imposes.</summary>
    public static Config Add(Config config, string url)
    {
        var roles = config.GetStringList("akka.cluster.roles", []).Append(Prefix + url);
        var imposed = ConfigurationFactory.ParseString($"akka.cluster.roles = [{string.Join(", ", roles.Select(r => JsonSerializer.Serialize(r)))}]");
        return imposed.WithFallback(config);
    }

    /// <summary>The admin URL named by the member's roles, or null for a member started without one.</summary>
    public static string? Of(IEnumerable<string> roles) =>
        roles.Where(r => r.StartsWith(Prefix, StringComparison.Ordinal) && r.Length > Prefix.Length)
            .Select(r => r[Prefix.Length..])
            .FirstOrDefault();
}
