using ActorBackup.Cluster.Capture.Sources;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Sharding;
using ActorBackup.Cluster.Sources;
using ActorBackup.Ledger.Federation;
using ActorBackup.Ledger.Validation;
using Akka.Event;

namespace ActorBackup.Cluster.Capture;

/// <summary>
/// What every capture actor of a node shares: the settings (<see cref="BackupSettings.Capture"/> paces the stream),
/// the key space, one thread-safe validator built from the federation's keys, the clock, and where documents come from.
/// </summary>
/// <param name="Clock">The sources' time now, as the node measured it, null before any source answered (then no checkpoint
/// is taken and repair raises nothing): what checkpoints of a source that does not confirm itself, repair's ceiling and
/// the lag in status read. A benchmark feeding documents itself or a test may pin it.</param>
/// <param name="Source">The federation's RethinkDB servers in production; a benchmark feeds documents directly.</param>
public sealed record CaptureEnvironment(
    BackupSettings Settings, KeySpace Keys, LedgerValidator Validator, Func<DateTimeOffset?> Clock, ICaptureSource Source)
{
    /// <summary>
    /// The node's connections to its sources, over which each replica reconciles its range with the source
    /// (<c>actorbackup.reconcile</c>); null when documents do not come from RethinkDB sources (a benchmark's own feed).
    /// </summary>
    public SourceSessions? Sessions { get; init; }

    /// <summary>The environment of a node capturing from its configured sources over <paramref name="sources"/>.</summary>
    public static CaptureEnvironment Create(BackupSettings settings, FederationKeys federation, SourceSessions sources) =>
        new(settings, new KeySpace(settings.Shards), new LedgerValidator(federation), sources.SourceNowOrNull, new ReqlCaptureSource(settings, sources, [.. federation.Members.Select(m => m.PublicKey)]))
        {
            Sessions = sources,
        };

    /// <summary>As <see cref="Create(BackupSettings, FederationKeys, SourceSessions)"/>, with sessions of its own on the wall clock.</summary>
    public static CaptureEnvironment Create(BackupSettings settings, FederationKeys federation) =>
        Create(settings, federation, new SourceSessions(settings, () => DateTimeOffset.UtcNow, NoLogger.Instance));

    /// <summary>As <see cref="Create(BackupSettings, FederationKeys, SourceSessions)"/>, with the keys read from <see cref="BackupSettings.FederationKeysPath"/>.</summary>
    /// <exception cref="BackupSettingsException">No key file is configured, or it cannot be read.</exception>
    public static CaptureEnvironment Create(BackupSettings settings, SourceSessions sources) =>
        Create(settings, settings.LoadFederationKeys(), sources);
}
