using System.Text.Json;
using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Membership;
using ActorBackup.Cluster.Settings;
using Akka.Configuration;

namespace ActorBackup.Cluster.Node;

/// <summary>The ActorSystem configuration of a backup node, built from the operator's file.</summary>
public static class ClusterConfig
{
    /// <summary>The name of every node's ActorSystem; seed node addresses must use it.</summary>
    public const string SystemName = "actorbackup";

    /// <summary>
    /// The cluster provider and the region role are imposed (placement depends on them), and TLS between nodes exactly
    /// when actorbackup.tls names the files (<see cref="NodeTls"/> supplies the certificate and the check); the operator's
    /// file comes next (remote hostname and port, seed nodes, failure detector), then the app version,
    /// Akka's start-up bounds (remoting bound, cluster core created) raised to actorbackup.node.start-timeout,
    /// the journal, and reference.conf with our serializer and the downing switched off.
    /// </summary>
    public static Config For(NodeConfiguration node)
    {
        var imposed = ConfigurationFactory.ParseString($$"""
            akka.actor.provider = cluster
            akka.cluster.roles = [{{JsonSerializer.Serialize(MemberView.RegionRolePrefix + node.Settings.Region)}}]
            akka.remote.dot-netty.tcp.enable-ssl = {{(node.Settings.Tls is null ? "off" : "on")}}
            """);
        var start = $"{(long)node.Node.StartTimeout.TotalMilliseconds}ms";
        var defaults = ConfigurationFactory.ParseString($$"""
            akka.cluster.app-version = {{JsonSerializer.Serialize(NodeVersion.Current)}}
            akka.remote.startup-timeout = {{start}}
            akka.actor.creation-timeout = {{start}}
            """);
        return imposed
            .WithFallback(node.Operator)
            .WithFallback(defaults)
            .WithFallback(JournalConfig.For(node.Settings))
            .WithFallback(BackupConfig.Reference);
    }
}
