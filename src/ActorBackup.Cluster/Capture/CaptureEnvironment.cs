using ActorBackup.Cluster.Capture.Sources;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Sharding;
using ActorBackup.Ledger.Federation;
using ActorBackup.Ledger.Validation;

namespace ActorBackup.Cluster.Capture;

/// <summary>
/// What every capture actor of a node shares: the settings (<see cref="BackupSettings.Capture"/> paces the stream),
/// the key space, one thread-safe validator built from the federation's keys, the clock, and where documents come from.
/// </summary>
/// <param name="Clock">The current time; a test may pin it.</param>
/// <param name="Source">The federation's RethinkDB servers in production; a benchmark feeds documents directly.</param>
public sealed record CaptureEnvironment(
    BackupSettings Settings, KeySpace Keys, LedgerValidator Validator, Func<DateTimeOffset> Clock, ICaptureSource Source)
{
    /// <summary>The environment of a node capturing from its configured sources with the wall clock.</summary>
    public static CaptureEnvironment Create(BackupSettings settings, FederationKeys federation) =>
        new(settings, new KeySpace(settings.Shards), new LedgerValidator(federation), () => DateTimeOffset.UtcNow, new ReqlCaptureSource(settings));

    /// <summary>As <see cref="Create(BackupSettings, FederationKeys)"/>, with the keys read from <see cref="BackupSettings.FederationKeysPath"/>.</summary>
    /// <exception cref="BackupSettingsException">No key file is configured, or it cannot be read.</exception>
    public static CaptureEnvironment Create(BackupSettings settings) => Create(settings, settings.LoadFederationKeys());
}
