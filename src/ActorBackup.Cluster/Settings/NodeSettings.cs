using Akka.Configuration;

namespace ActorBackup.Cluster.Settings;

/// <summary>
/// Everything under <c>actorbackup.node</c>: how the node host reacts to membership changes and
/// shares its replicas' status. Keys, units and ranges are documented in reference.conf.
/// </summary>
/// <param name="PlacementDebounce">Wait after a membership or reachability change before placement is recomputed.</param>
/// <param name="StatusInterval">Interval between two status publications of this node's replicas.</param>
/// <param name="StatusTimeout">Longest wait for one replica's status reply or for the drain of a released replica.</param>
/// <param name="StartTimeout">Longest wait, while the node starts, for its journal and Akka's own start-up steps.</param>
/// <param name="TableMetadataInterval">Interval between two reads of the tables' metadata from the sources.</param>
public sealed record NodeSettings(
    TimeSpan PlacementDebounce, TimeSpan StatusInterval, TimeSpan StatusTimeout, TimeSpan StartTimeout, TimeSpan TableMetadataInterval)
{
    /// <summary>Reads and validates <c>actorbackup.node</c> from <paramref name="config"/>, falling back to reference.conf.</summary>
    /// <exception cref="BackupSettingsException">A value is missing, of the wrong type or out of range.</exception>
    public static NodeSettings Create(Config config)
    {
        var full = config.WithFallback(BackupConfig.Reference);
        var r = new SettingsReader(full.GetConfig("actorbackup.node"), "actorbackup.node");
        return new NodeSettings(
            r.Duration("placement-debounce", TimeSpan.Zero, TimeSpan.FromMinutes(1)),
            r.Duration("status-interval", TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1)),
            r.Duration("status-timeout", TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5)),
            r.Duration("start-timeout", TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)),
            r.Duration("table-metadata-interval", TimeSpan.FromSeconds(10), TimeSpan.FromDays(1)));
    }
}
