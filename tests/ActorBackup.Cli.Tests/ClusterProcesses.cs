namespace ActorBackup.Cli.Tests;

/// <summary>
/// Tests that start backup node processes run one at a time and apart from every other test: on a small machine,
/// two clusters at once starve each other's heartbeats and nodes time out while starting.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterProcesses
{
    public const string Name = "cluster processes";
}
