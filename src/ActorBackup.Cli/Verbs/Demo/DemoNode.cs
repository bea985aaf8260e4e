namespace ActorBackup.Cli.Verbs.Demo;

/// <summary>A backup node process the demo started.</summary>
internal sealed record DemoNode(DemoNodeFile File, string ConfigPath, ChildProcess Process);
