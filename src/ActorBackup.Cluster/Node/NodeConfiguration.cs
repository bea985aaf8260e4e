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
    private static readonly TimeSpan ParseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Reads the file at <paramref name="path"/>, with <c>${NAME}</c> and <c>${?NAME}</c> taken from
    /// <paramref name="environment"/> (the process's by default), and validates everything a node needs.
    /// </summary>
    /// <exception cref="BackupSettingsException">One line saying what is wrong and where.</exception>
    public static NodeConfiguration Load(string path, Func<string, string?>? environment = null)
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
        return FromConfig(Parse(EnvironmentSubstitution.Resolve(text, environment ?? Environment.GetEnvironmentVariable), full), full);
    }

    /// <remarks>
    /// Akka's HOCON parser accepts much malformed text, and loops forever on some (an unclosed list
    /// such as "[1, }"). It runs on a pool thread with a time limit so that a bad file is one error
    /// line, not a hung node; the caller exits, which ends the stuck thread.
    /// </remarks>
    private static Config Parse(string text, string path)
    {
        // `include "NAME.conf"` (what `actorbackup certs init` writes) is read beside the node file.
        var directory = Path.GetDirectoryName(path) ?? ".";
        Func<string, Akka.Configuration.Hocon.HoconRoot>? include = null;
        include = name => Akka.Configuration.Hocon.Parser.Parse(File.ReadAllText(Path.Combine(directory, name)), include);
        var parse = Task.Run(() => ConfigurationFactory.ParseString(text, include));
        try
        {
            if (!parse.Wait(ParseTimeout))
                throw new BackupSettingsException($"{path} is not valid HOCON: the parser did not finish within {ParseTimeout.TotalSeconds:0} s (look for an unclosed list or object).");
            return parse.Result;
        }
        catch (AggregateException e) when (e.InnerException is { } inner and not BackupSettingsException)
        {
            throw new BackupSettingsException($"{path} is not valid HOCON: {FirstLine(inner.Message)}");
        }
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
        CheckStatusTimeouts(settings, node);
        CheckFederationKeys(settings);
        return new NodeConfiguration(config, settings, node);
    }

    /// <summary>
    /// A replica's status answer waits for its journal within the node's wait for that answer: were it longer, a replica
    /// whose journal restarts would show as not answering instead of with its journal's last known state.
    /// </summary>
    private static void CheckStatusTimeouts(BackupSettings settings, NodeSettings node)
    {
        if (settings.Capture.JournalStatusTimeout > node.StatusTimeout)
            throw new BackupSettingsException(
                $"actorbackup.capture.journal-status-timeout must be at most actorbackup.node.status-timeout ({SettingsReader.Show(node.StatusTimeout)}) (got {SettingsReader.Show(settings.Capture.JournalStatusTimeout)}).");
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
            throw new BackupSettingsException($"actorbackup.federation-keys: {error.TrimEnd('.')} ({path}).");
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n', 2)[0].Trim();
        return line.EndsWith('.') ? line : line + ".";
    }
}
