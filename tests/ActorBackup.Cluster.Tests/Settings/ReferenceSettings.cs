using ActorBackup.Cluster.Settings;
using Akka.Configuration;

namespace ActorBackup.Cluster.Tests.Settings;

/// <summary>The settings of reference.conf alone, for tests that need a component as a node runs it by default.</summary>
internal static class ReferenceSettings
{
    public static BackupSettings Defaults { get; } = BackupSettings.Create(ConfigurationFactory.Empty);
}
