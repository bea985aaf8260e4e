using ActorBackup.Sandbox.Reqlite;

namespace ActorBackup.Cli.Tests.Simulate;

/// <summary>One reqlite for a test class; each test writes its own database.</summary>
public sealed class ReqliteFixture : IAsyncLifetime
{
    private ReqliteServer? server;

    public ReqliteServer Server => server ?? throw new InvalidOperationException("reqlite is not started");

    public async Task InitializeAsync() => server = await ReqliteServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (server is not null)
            await server.DisposeAsync();
    }
}
