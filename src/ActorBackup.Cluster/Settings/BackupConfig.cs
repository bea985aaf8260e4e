using Akka.Configuration;

namespace ActorBackup.Cluster.Settings;

/// <summary>The embedded reference.conf of this library: every key with its default and the serializer bindings.</summary>
public static class BackupConfig
{
    private static readonly Lazy<Config> ReferenceLazy = new(LoadReference);

    /// <summary>The defaults; operator files and command-line overrides go in front of it as fallback.</summary>
    public static Config Reference => ReferenceLazy.Value;

    private static Config LoadReference()
    {
        const string name = "ActorBackup.Cluster.reference.conf";
        using var stream = typeof(BackupConfig).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from {typeof(BackupConfig).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }
}
