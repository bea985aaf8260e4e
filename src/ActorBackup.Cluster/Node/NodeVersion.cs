using System.Reflection;

namespace ActorBackup.Cluster.Node;

/// <summary>The version a node announces to the cluster as <c>akka.cluster.app-version</c>.</summary>
/// <remarks>
/// Akka's default takes the entry assembly's version, which is the test host under `dotnet test`
/// and the CLI in production, so nodes of one build could announce different versions. This
/// library's own informational version is the same wherever it is loaded from.
/// </remarks>
public static class NodeVersion
{
    public static string Current { get; } = Read();

    private static string Read()
    {
        var informational = typeof(NodeVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        var version = string.IsNullOrWhiteSpace(informational)
            ? typeof(NodeVersion).Assembly.GetName().Version?.ToString(3) ?? "0.0.0"
            : informational;
        // Build metadata after '+' (a commit id) says nothing about compatibility.
        var plus = version.IndexOf('+');
        return plus > 0 ? version[..plus] : version;
    }
}
