using ActorBackup.ReQL.Net;
using ActorBackup.Sandbox.Reqlite;

namespace ActorBackup.Recovery.Tests.Restore;

/// <summary>A real reqlite to restore into (each test uses its own database) and one ledger archive to restore.</summary>
public sealed class RestoreTargetFixture : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private ReqliteServer? _server;
    private Connection? _connection;
    private LedgerArchive? _archive;

    public ReqliteServer Server => _server ?? throw new InvalidOperationException("The fixture has not started.");

    public Connection Connection => _connection ?? throw new InvalidOperationException("The fixture has not started.");

    internal LedgerArchive Archive => _archive ?? throw new InvalidOperationException("The fixture has not started.");

    public string TempPath => _dir.Path;

    public async Task InitializeAsync()
    {
        _archive = await LedgerArchive.WriteAsync(_dir.File("ledger.tar.gz"), blocks: 120, backlog: 40, _dir.Path);
        _server = await ReqliteServer.StartAsync();
        _connection = await Connection.ConnectAsync(new ConnectionOptions { Host = Server.Host, Port = Server.Port });
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
        _dir.Dispose();
    }
}
