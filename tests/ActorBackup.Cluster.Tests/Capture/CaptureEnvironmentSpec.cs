using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Capture;
using ActorBackup.Cluster.Capture.Sources;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Sources;
using Akka.Event;
using Akka.Configuration;

namespace ActorBackup.Cluster.Tests.Capture;

public sealed class CaptureEnvironmentSpec
{
    private static SourceSessions Sessions(BackupSettings settings) => new(settings, () => DateTimeOffset.UtcNow, NoLogger.Instance);

    [Fact]
    public void Capture_without_a_federation_key_file_fails_with_one_line_naming_the_key()
    {
        var settings = BackupSettings.Create(ConfigurationFactory.Empty);

        var e = Assert.Throws<BackupSettingsException>(() => CaptureEnvironment.Create(settings, Sessions(settings)));

        Assert.Equal("actorbackup.federation-keys must name the federation's key file: capture verifies every signature against it.", e.Message);
    }

    [Fact]
    public void An_unreadable_federation_key_file_fails_with_one_line_naming_the_file()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-keys-{Guid.NewGuid():N}.json");
        var settings = BackupSettings.Create(ConfigurationFactory.ParseString($"actorbackup.federation-keys = \"{missing}\""));

        var e = Assert.Throws<BackupSettingsException>(() => CaptureEnvironment.Create(settings, Sessions(settings)));

        Assert.StartsWith($"actorbackup.federation-keys: Cannot read the federation key file {missing}:", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void The_scan_reads_the_whole_range_without_a_watermark_and_filters_on_the_numeric_timestamp_with_one()
    {
        var whole = ScanQuery.Scan("bigchain", "votes", null, "80000000", Watermark.None).ToWireJson();
        var recent = ScanQuery.Scan("bigchain", "bigchain", "80000000", null, Watermark.At(1_700_000_000)).ToWireJson();

        Assert.Equal("""[182,[[15,[[14,["bigchain"]],"votes"]],[180,[]],"80000000"]]""", whole);
        Assert.Contains("\"block\"", recent);
        Assert.Contains("\"number\"", recent);
        Assert.Contains("1700000000", recent);
    }
}
