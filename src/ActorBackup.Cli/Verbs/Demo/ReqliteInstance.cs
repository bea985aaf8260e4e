namespace ActorBackup.Cli.Verbs.Demo;

/// <summary>A running reqlite started by the demo.</summary>
internal sealed record ReqliteInstance(string Host, int Port, ChildProcess Process)
{
    public string Endpoint => $"{Host}:{Port}";
}
