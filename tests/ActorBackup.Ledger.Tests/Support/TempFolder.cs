namespace ActorBackup.Ledger.Tests.Support;

/// <summary>A new folder under the system's temporary folder, deleted with its content on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    private readonly DirectoryInfo directory = Directory.CreateTempSubdirectory("actorbackup-ledger-test-");

    public string Path => directory.FullName;

    public void Dispose() => directory.Delete(recursive: true);
}
