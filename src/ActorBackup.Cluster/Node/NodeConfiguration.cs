using ActorBackup.Cluster.Settings;
using ActorBackup.Ledger.Federation;
using Akka.Configuration;

namespace ActorBackup.Cluster.Node;

/// <summary>
/// An operator's node file, read and validated before anything starts: the raw HOCON (which also
/// carries the akka.remote and akka.cluster keys) and the settings read from it.
/// </summary>
public sealed record NodeConfiguration(Config Operator, BackupSettings Settings, NodeSettings Node)
{
    /// <summary>Reads the file at <paramref name="path"/> and validates everything a node needs.</summary>
    /// <exception cref="BackupSettingsException">One line saying what is wrong and where.</exception>
    public static NodeConfiguration Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new BackupSettingsException($"the configuration file {full} does not exist.");
        string text;
        try
        {
            text = File.ReadAllText(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupSettingsException($"the configuration file {full} cannot be read: {e.Message}");
        }
        Config config;
        try
        {
            config = ConfigurationFactory.ParseString(text);
        }
        catch (Exception e) when (e is not BackupSettingsException)
        {
            throw new BackupSettingsException($"{full} is not valid HOCON: {FirstLine(e.Message)}");
        }
        return FromConfig(config, full);
    }

    /// <summary>Validates an already parsed node configuration; <paramref name="origin"/> names it in errors.</summary>
    /// <exception cref="BackupSettingsException">One line saying what is wrong.</exception>
    public static NodeConfiguration FromConfig(Config config, string origin)
    {
        // reference.conf gives a region for tools that never join a cluster; a node must be told its
        // own, or every node of a deployment would silently share the region "default".
        if (!config.HasPath("actorbackup.region"))
            throw new BackupSettingsException($"actorbackup.region is not set in {origin}: every node must name its region (for example \"eu-west\").");
        var settings = BackupSettings.Create(config);
        var node = NodeSettings.Create(config);
        CheckFederationKeys(settings);
        return new NodeConfiguration(config, settings, node);
    }

    private static void CheckFederationKeys(BackupSettings settings)
    {
        var path = settings.FederationKeysPath
            ?? throw new BackupSettingsException("actorbackup.federation-keys is not set: a node needs the federation's public keys to verify what it captures.");
        if (!File.Exists(path))
            throw new BackupSettingsException($"actorbackup.federation-keys: the file {path} does not exist.");
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BackupSettingsException($"actorbackup.federation-keys: the file {path} cannot be read: {e.Message}");
        }
        if (!FederationKeyFile.TryParse(bytes, out _, out var error))
            throw new BackupSettingsException($"actorbackup.federation-keys: {path} is not a federation keys file: {error.TrimEnd('.')}.");
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.EndsWith('.') ? line : line + ".";
    }
}
