using System.Text.Json;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Errors;

namespace ActorBackup.ReQL.Net;

/// <summary>
/// One connection at a time to the first healthy host of a preference-ordered list ("h1:28015,h2:28015").
/// A host that cannot be reached, or whose connection breaks, is skipped for <see cref="ConnectionOptions.HostBackoff"/>;
/// a query that never reached a server is retried on the next host, one that did is not (it may have run).
/// </summary>
public sealed class ConnectionPool : IConnection
{
    private readonly ConnectionOptions _template;
    private readonly IReadOnlyList<(string Host, int Port)> _hosts;
    private readonly DateTime[] _retryAfter;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Connection? _current;
    private int _currentHost = -1;

    private ConnectionPool(ConnectionOptions template, IReadOnlyList<(string, int)> hosts)
    {
        _template = template;
        _hosts = hosts;
        _retryAfter = new DateTime[hosts.Count];
    }

    /// <summary>"host:port" of the host currently used, or null.</summary>
    public string? CurrentEndpoint => _current?.Endpoint;

    /// <summary>Parses "h1:28015,h2" (port defaults to the template's) and connects to the first reachable host.</summary>
    public static async Task<ConnectionPool> ConnectAsync(string hosts, ConnectionOptions template, CancellationToken ct = default)
    {
        var pool = new ConnectionPool(template, ParseHosts(hosts, template.Port));
        await pool.AcquireAsync(ct);
        return pool;
    }

    internal static List<(string Host, int Port)> ParseHosts(string hosts, int defaultPort)
    {
        var result = new List<(string, int)>();
        foreach (var part in hosts.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = part.LastIndexOf(':');
            if (colon < 0)
            {
                result.Add((part, defaultPort));
                continue;
            }
            if (colon == 0 || !int.TryParse(part[(colon + 1)..], out var port) || port is < 1 or > 65535)
                throw new ArgumentException($"'{part}' is not host:port (port 1-65535) in the host list '{hosts}'.");
            result.Add((part[..colon], port));
        }
        if (result.Count == 0)
            throw new ArgumentException("The host list is empty: give at least one host:port.");
        return result;
    }

    /// <summary>The open connection, opening one to the first healthy host in preference order when needed.</summary>
    private async Task<Connection> AcquireAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_current is { State: ConnectionState.Open } open)
                return open;
            if (_current is not null)
                MarkFailed(_currentHost);
            var failures = new List<string>();
            foreach (var i in HostOrder())
            {
                var (host, port) = _hosts[i];
                try
                {
                    var connection = await Connection.ConnectAsync(_template with { Host = host, Port = port }, ct);
                    if (_current is not null) await _current.DisposeAsync();
                    _current = connection;
                    _currentHost = i;
                    _retryAfter[i] = default;
                    return connection;
                }
                catch (ReqlDriverError e) when (e.IsTransient)
                {
                    MarkFailed(i);
                    failures.Add($"{host}:{port}: {e.Message}");
                }
            }
            throw new ReqlConnectionError($"No host could be reached ({string.Join("; ", failures)}).", querySent: false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Healthy hosts in preference order, then the ones still backing off (soonest retry first) as a last resort.</summary>
    private IEnumerable<int> HostOrder()
    {
        var now = DateTime.UtcNow;
        var indexes = Enumerable.Range(0, _hosts.Count).ToList();
        return indexes.Where(i => _retryAfter[i] <= now)
            .Concat(indexes.Where(i => _retryAfter[i] > now).OrderBy(i => _retryAfter[i]));
    }

    private void MarkFailed(int host)
    {
        if (host >= 0)
            _retryAfter[host] = DateTime.UtcNow + _template.HostBackoff;
    }

    /// <summary>Runs on the current connection; moves to the next host when the query provably never left this one.</summary>
    private async Task<T> WithConnectionAsync<T>(Func<Connection, Task<T>> action, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var connection = await AcquireAsync(ct);
            try
            {
                return await action(connection);
            }
            catch (ReqlConnectionError e) when (!e.QuerySent && attempt < _hosts.Count)
            {
                // The connection broke before the query was written: safe to send it elsewhere.
            }
        }
    }

    public Task<JsonElement> RunAtomAsync(ReqlAst term, RunOptions? options, CancellationToken ct) =>
        WithConnectionAsync(c => c.RunAtomAsync(term, options, ct), ct);

    public Task<Cursor> RunCursorAsync(ReqlAst term, RunOptions? options, CancellationToken ct) =>
        WithConnectionAsync(c => c.RunCursorAsync(term, options, ct), ct);

    public Task RunNoReplyAsync(ReqlAst term, RunOptions? options, CancellationToken ct) =>
        WithConnectionAsync(async c =>
        {
            await c.RunNoReplyAsync(term, options, ct);
            return true;
        }, ct);

    public Task<ServerInfo> ServerInfoAsync(CancellationToken ct = default) =>
        WithConnectionAsync(c => c.ServerInfoAsync(ct), ct);

    public Task NoReplyWaitAsync(CancellationToken ct = default) =>
        WithConnectionAsync(async c =>
        {
            await c.NoReplyWaitAsync(ct);
            return true;
        }, ct);

    public async ValueTask DisposeAsync()
    {
        if (_current is not null)
            await _current.DisposeAsync();
    }
}
