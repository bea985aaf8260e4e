using ActorBackup.Testing;
using Npgsql;
using Xunit;

namespace ActorBackup.Cluster.Tests.Fixtures;

public sealed class PostgresServerFixtureTests
{
    [Fact]
    public async Task The_fixture_starts_a_real_postgresql_that_answers_queries_and_stops_it()
    {
        int port;
        await using (var server = await PostgresServer.StartAsync())
        {
            port = server.Port;
            await using var connection = new NpgsqlConnection(server.ConnectionString());
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("select current_setting('fsync') || ' ' || version()", connection);
            var answer = (string?)await command.ExecuteScalarAsync();
            Assert.StartsWith("on PostgreSQL ", answer);
        }
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var again = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=postgres;Timeout=2");
            await again.OpenAsync();
        });
    }
}
