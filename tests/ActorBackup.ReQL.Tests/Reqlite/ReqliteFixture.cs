using ActorBackup.ReQL.Net;
using ActorBackup.Sandbox.Reqlite;

namespace ActorBackup.ReQL.Tests.Reqlite;

/// <summary>One reqlite server and one open connection for a test class.</summary>
public sealed class ReqliteFixture : IAsyncLifetime
{
    private ReqliteServer? _server;
    private Connection? _connection;

    public ReqliteServer Server => _server ?? throw new InvalidOperationException("The fixture has not started.");

    public Connection Connection => _connection ?? throw new InvalidOperationException("The fixture has not started.");

    public ConnectionOptions Options => new() { Host = Server.Host, Port = Server.Port, ResponseTimeout = TimeSpan.FromSeconds(30) };

    public async Task InitializeAsync()
    {
        _server = await ReqliteServer.StartAsync();
        _connection = await Connection.ConnectAsync(Options);
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
    }
}
