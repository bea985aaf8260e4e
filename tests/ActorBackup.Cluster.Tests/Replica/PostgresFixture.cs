using ActorBackup.Testing;
using Npgsql;

namespace ActorBackup.Cluster.Tests.Replica;

/// <summary>One real PostgreSQL server for a test class; every test gets its own empty database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;
    private int _databases;

    private PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL fixture is not started.");

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    /// <summary>Creates a fresh database and returns its connection string.</summary>
    public string NewDatabase()
    {
        var name = $"replica_{Interlocked.Increment(ref _databases)}";
        using (var connection = new NpgsqlConnection(Server.ConnectionString()))
        {
            connection.Open();
            using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            cmd.ExecuteNonQuery();
        }
        return Server.ConnectionString(name);
    }
}
