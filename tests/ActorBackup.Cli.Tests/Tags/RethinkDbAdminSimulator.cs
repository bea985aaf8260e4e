using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ActorBackup.Cli.Tests.Tags;

/// <summary>
/// A stand-in for a RethinkDB 2.4 cluster's administration, on loopback, for what no server here can show: no
/// RethinkDB runs on this machine and reqlite implements none of it. It speaks the V1_0 protocol (SCRAM-SHA-256
/// handshake with an empty admin password, framed JSON) and answers exactly the queries `actorbackup tags` sends,
/// whose wire JSON AstInteropTests checks against the official driver: whole reads of <c>rethinkdb.server_config</c>,
/// <c>table_config</c> and <c>table_status</c>, <c>reconfigure</c> with and without <c>dry_run</c>, and <c>wait</c>.
/// It starts from a saved layout and changes it as RethinkDB documents: a reconfigure places replicas on servers of
/// each tag (a shard's current servers first), keeps the primary when it has the primary tag, resets write_acks
/// and durability, and leaves new replicas backfilling until a wait sees them through. Any other query is a compile error.
/// </summary>
internal sealed class RethinkDbAdminSimulator : IAsyncDisposable
{
    private const int OpFailed = 4100000;
    private const int NonExistence = 3100000;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly List<string> _log = [];
    private readonly JsonArray _servers;
    private readonly JsonArray _config;
    private readonly JsonArray _status;
    private readonly Task _accepting;
    private TaskCompletionSource _logged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RethinkDbAdminSimulator(string layoutFile)
    {
        var layout = JsonNode.Parse(File.ReadAllText(layoutFile))!.AsObject();
        _servers = layout["server_config"]!.AsArray();
        _config = layout["table_config"]!.AsArray();
        _status = layout["table_status"]!.AsArray();
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>"127.0.0.1:PORT", as --source takes it.</summary>
    public string Endpoint => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>False: a wait finds the backfill unfinished and answers as RethinkDB does at its timeout.</summary>
    public bool BackfillsFinish { get; set; } = true;

    /// <summary>When set, a wait is answered only once this completes (an operator may interrupt meanwhile).</summary>
    public TaskCompletionSource? HoldWaits { get; set; }

    /// <summary>Changes what a dry run proposes, as a cluster that changed since it was read would.</summary>
    public Action<JsonObject>? AlterDryRun { get; set; }

    /// <summary>Changes what a reconfigure does, as a cluster that changed between the dry run and it would.</summary>
    public Action<JsonObject>? AlterReconfigure { get; set; }

    /// <summary>Each query answered, in order: "read server_config", "dry run bigchain.votes", "reconfigure bigchain.votes", "wait bigchain.votes".</summary>
    public IReadOnlyList<string> Log
    {
        get
        {
            lock (_gate)
                return [.. _log];
        }
    }

    /// <summary>The table_config row of a table as it is now.</summary>
    public JsonObject ConfigOf(string table)
    {
        lock (_gate)
            return Row(_config, "bigchain", table)!.DeepClone().AsObject();
    }

    /// <summary>Waits until the log satisfies <paramref name="condition"/>, failing after 20 s.</summary>
    public async Task UntilAsync(Func<IReadOnlyList<string>, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (condition(_log))
                    return;
                changed = _logged.Task;
            }
            var left = deadline - DateTime.UtcNow;
            Assert.True(left > TimeSpan.Zero, $"the simulator's log never matched; it is: {string.Join(" | ", Log)}");
            await Task.WhenAny(changed, Task.Delay(left));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var clients = new List<Task>();
        try
        {
            while (true)
                clients.Add(ServeAsync(await _listener.AcceptSocketAsync(_stop.Token)));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The listener stopped: the simulator is being disposed.
        }
        await Task.WhenAll(clients);
    }

    private async Task ServeAsync(Socket socket)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            if (!await HandshakeAsync(stream))
                return;
            var writeLock = new SemaphoreSlim(1, 1);
            var answering = new List<Task>();
            while (true)
            {
                var header = new byte[12];
                await stream.ReadExactlyAsync(header, _stop.Token);
                var body = new byte[BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(8))];
                await stream.ReadExactlyAsync(body, _stop.Token);
                var token = BinaryPrimitives.ReadUInt64LittleEndian(header);
                var query = JsonNode.Parse(body)!.AsArray();
                answering.Add(AnswerAsync(stream, writeLock, token, query));
            }
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or OperationCanceledException or SocketException)
        {
            // The client hung up or the simulator is being disposed.
        }
    }

    private async Task AnswerAsync(NetworkStream stream, SemaphoreSlim writeLock, ulong token, JsonArray query)
    {
        JsonObject response;
        try
        {
            response = await RespondAsync(query);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A fault in the simulator is answered at once, so the test fails with it rather than at the client's timeout.
            response = Error(16, $"the simulator failed on {query.ToJsonString()}: {e}");
        }
        var payload = Encoding.UTF8.GetBytes(response.ToJsonString());
        var frame = new byte[12 + payload.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(frame, token);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(8), (uint)payload.Length);
        payload.CopyTo(frame, 12);
        await writeLock.WaitAsync();
        try
        {
            await stream.WriteAsync(frame);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The client left before its answer (an interrupted wait).
        }
        finally
        {
            writeLock.Release();
        }
    }

    private async Task<JsonObject> RespondAsync(JsonArray query)
    {
        if (query[0]!.GetValue<int>() != 1)
            return Error(17, "only START queries are simulated");
        var term = query[1]!.AsArray();
        var type = term[0]!.GetValue<int>();
        var args = term.Count > 1 ? term[1]!.AsArray() : [];
        var optargs = term.Count > 2 ? term[2]!.AsObject() : [];
        switch (type)
        {
            case 15 when TableOf(term) is ("rethinkdb", var table) && optargs.Count == 0:
                var rows = table switch { "server_config" => _servers, "table_config" => _config, "table_status" => _status, _ => null };
                if (rows is null)
                    return Error(17, $"the simulator has no rethinkdb.{table}");
                Append($"read {table}");
                lock (_gate)
                    return new JsonObject { ["n"] = new JsonArray(), ["r"] = rows.DeepClone(), ["t"] = 2 };
            case 176 when args.Count == 1 && TableOf(args[0]!.AsArray()) is var (db, table):
                return Reconfigure(db, table, optargs);
            case 177 when args.Count == 1 && TableOf(args[0]!.AsArray()) is var (db, table)
                          && optargs["wait_for"]?.GetValue<string>() == "all_replicas_ready" && optargs["timeout"] is not null:
                return await WaitAsync(db, table);
            default:
                return Error(17, $"the simulator does not answer {term.ToJsonString()}");
        }
    }

    private JsonObject Reconfigure(string db, string table, JsonObject optargs)
    {
        var dryRun = optargs["dry_run"]?.GetValue<bool>() ?? false;
        Append($"{(dryRun ? "dry run" : "reconfigure")} {db}.{table}");
        if (optargs.Select(kv => kv.Key).Except(["shards", "replicas", "primary_replica_tag", "dry_run"]).FirstOrDefault() is { } unknown)
            return Error(17, $"Unrecognized optional argument `{unknown}`.");
        lock (_gate)
        {
            if (Row(_config, db, table) is not { } old)
                return Error(18, $"Table `{db}.{table}` does not exist.", NonExistence);
            var oldStatus = Row(_status, db, table)!;
            var shards = optargs["shards"]!.GetValue<int>();
            var replicas = optargs["replicas"]!.AsObject().Select(kv => (Tag: kv.Key, Count: kv.Value!.GetValue<int>())).ToList();
            var primaryTag = optargs["primary_replica_tag"]!.GetValue<string>();
            if (shards != old["shards"]!.AsArray().Count)
                return Error(17, "the simulator keeps shard counts");
            var newShards = new JsonArray();
            for (var i = 0; i < shards; i++)
            {
                var current = old["shards"]![i]!["replicas"]!.AsArray().Select(s => s!.GetValue<string>()).ToList();
                var chosen = new List<string>();
                foreach (var (tag, count) in replicas)
                {
                    var tagged = _servers.Where(s => s!["tags"]!.AsArray().Any(t => t!.GetValue<string>() == tag)).Select(s => s!["name"]!.GetValue<string>())
                        .Where(s => !chosen.Contains(s)).ToList();
                    if (tagged.Count < count)
                        return Error(18, $"Can't put {count} replicas on servers with the tag `{tag}` because there are only {tagged.Count} servers with the tag `{tag}`. "
                                         + $"It's possible that some servers with the tag `{tag}` are disconnected.", OpFailed);
                    var rotated = tagged.Skip(i % tagged.Count).Concat(tagged.Take(i % tagged.Count));
                    chosen.AddRange(current.Where(tagged.Contains).Concat(rotated.Where(s => !current.Contains(s))).Take(count));
                }
                var primary = old["shards"]![i]!["primary_replica"]!.GetValue<string>();
                if (!chosen.Contains(primary) || !HasTag(primary, primaryTag))
                    primary = chosen.First(s => HasTag(s, primaryTag));
                newShards.Add(new JsonObject { ["nonvoting_replicas"] = new JsonArray(), ["primary_replica"] = primary, ["replicas"] = Strings(chosen) });
            }
            var proposed = old.DeepClone().AsObject();
            proposed["durability"] = "hard";
            proposed["shards"] = newShards;
            proposed["write_acks"] = "majority";
            (dryRun ? AlterDryRun : AlterReconfigure)?.Invoke(proposed);
            var newStatus = StatusFor(proposed, oldStatus);
            var answer = new JsonObject
            {
                ["config_changes"] = new JsonArray(new JsonObject { ["new_val"] = proposed.DeepClone(), ["old_val"] = old.DeepClone() }),
                ["reconfigured"] = dryRun ? 0 : 1,
                ["status_changes"] = new JsonArray(new JsonObject { ["new_val"] = newStatus.DeepClone(), ["old_val"] = oldStatus.DeepClone() }),
            };
            if (!dryRun)
            {
                Replace(_config, old, proposed);
                Replace(_status, oldStatus, newStatus);
            }
            return Atom(answer);
        }
    }

    private async Task<JsonObject> WaitAsync(string db, string table)
    {
        Append($"wait {db}.{table}");
        if (HoldWaits is { } hold)
            await hold.Task.WaitAsync(_stop.Token);
        lock (_gate)
        {
            if (Row(_status, db, table) is not { } status)
                return Error(18, $"Table `{db}.{table}` does not exist.", NonExistence);
            if (status["status"]!["all_replicas_ready"]!.GetValue<bool>())
                return Atom(new JsonObject { ["ready"] = 1 });
            if (!BackfillsFinish)
                return Error(18, "Timed out while waiting for tables.", OpFailed);
            foreach (var replica in status["shards"]!.AsArray().SelectMany(s => s!["replicas"]!.AsArray()))
                replica!["state"] = "ready";
            status["status"]!["all_replicas_ready"] = true;
            return Atom(new JsonObject { ["ready"] = 1 });
        }
    }

    /// <summary>The status after a reconfigure: replicas that were ready stay ready, the others backfill.</summary>
    private static JsonObject StatusFor(JsonObject config, JsonObject oldStatus)
    {
        var ready = oldStatus["shards"]!.AsArray().Select(s => s!["replicas"]!.AsArray()
            .Where(r => r!["state"]!.GetValue<string>() == "ready").Select(r => r!["server"]!.GetValue<string>()).ToHashSet()).ToList();
        var shards = new JsonArray();
        var allReady = true;
        foreach (var (shard, i) in config["shards"]!.AsArray().Select((s, i) => (s!, i)))
        {
            var replicas = new JsonArray();
            foreach (var server in shard["replicas"]!.AsArray().Select(s => s!.GetValue<string>()))
            {
                var state = i < ready.Count && ready[i].Contains(server) ? "ready" : "backfilling";
                allReady &= state == "ready";
                replicas.Add(new JsonObject { ["server"] = server, ["state"] = state });
            }
            shards.Add(new JsonObject { ["primary_replicas"] = new JsonArray(shard["primary_replica"]!.GetValue<string>()), ["replicas"] = replicas });
        }
        var status = oldStatus.DeepClone().AsObject();
        status["shards"] = shards;
        status["status"] = new JsonObject
        {
            ["all_replicas_ready"] = allReady, ["ready_for_outdated_reads"] = true, ["ready_for_reads"] = true, ["ready_for_writes"] = true,
        };
        return status;
    }

    private bool HasTag(string server, string tag) =>
        _servers.Any(s => s!["name"]!.GetValue<string>() == server && s["tags"]!.AsArray().Any(t => t!.GetValue<string>() == tag));

    /// <summary>The table of <c>[15,[[14,["db"]],"table"]]</c>, or null for any other term.</summary>
    private static (string Db, string Table)? TableOf(JsonArray term)
    {
        if (Term(term, 15) is not { Count: 2 } args || args[0] is not JsonArray dbTerm || Term(dbTerm, 14) is not { Count: 1 } dbArgs)
            return null;
        return (dbArgs[0]!.GetValue<string>(), args[1]!.GetValue<string>());
    }

    private static JsonArray? Term(JsonArray term, int type) =>
        term.Count >= 2 && term[0] is JsonValue t && t.GetValue<int>() == type ? term[1] as JsonArray : null;

    private static JsonObject? Row(JsonArray rows, string db, string table) =>
        rows.Select(r => r!.AsObject()).FirstOrDefault(r => r["db"]!.GetValue<string>() == db && r["name"]!.GetValue<string>() == table);

    private static void Replace(JsonArray rows, JsonObject old, JsonObject replacement) => rows[rows.IndexOf(old)] = replacement;

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());

    private static JsonObject Atom(JsonNode value) => new() { ["r"] = new JsonArray(value), ["t"] = 1 };

    private static JsonObject Error(int type, string message, int? errorType = null)
    {
        var error = new JsonObject { ["b"] = new JsonArray(), ["r"] = new JsonArray(message), ["t"] = type };
        if (errorType is { } e)
            error["e"] = e;
        return error;
    }

    private void Append(string entry)
    {
        TaskCompletionSource logged;
        lock (_gate)
        {
            _log.Add(entry);
            logged = _logged;
            _logged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        logged.SetResult();
    }

    /// <summary>The server side of the V1_0 handshake, as RethinkDB 2.4 runs it; false when the client's proof is wrong.</summary>
    private async Task<bool> HandshakeAsync(NetworkStream stream)
    {
        var magic = new byte[4];
        await stream.ReadExactlyAsync(magic, _stop.Token);
        var clientFirst = JsonNode.Parse(await ReadNulAsync(stream))!["authentication"]!.GetValue<string>();
        await WriteNulAsync(stream, """{"max_protocol_version":0,"min_protocol_version":0,"server_version":"2.4.4","success":true}""");
        var clientFirstBare = clientFirst["n,,".Length..];
        var clientNonce = clientFirstBare[(clientFirstBare.IndexOf(",r=", StringComparison.Ordinal) + 3)..];
        var salt = RandomNumberGenerator.GetBytes(16);
        var serverFirst = $"r={clientNonce}{Convert.ToBase64String(RandomNumberGenerator.GetBytes(18))},s={Convert.ToBase64String(salt)},i=4096";
        await WriteNulAsync(stream, new JsonObject { ["authentication"] = serverFirst, ["success"] = true }.ToJsonString());
        var clientFinal = JsonNode.Parse(await ReadNulAsync(stream))!["authentication"]!.GetValue<string>();
        var proofAt = clientFinal.IndexOf(",p=", StringComparison.Ordinal);
        var authMessage = $"{clientFirstBare},{serverFirst},{clientFinal[..proofAt]}";
        // The admin password is empty.
        var salted = Rfc2898DeriveBytes.Pbkdf2(""u8, salt, 4096, HashAlgorithmName.SHA256, 32);
        var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
        var signature = HMACSHA256.HashData(SHA256.HashData(clientKey), Encoding.UTF8.GetBytes(authMessage));
        var proof = Convert.FromBase64String(clientFinal[(proofAt + 3)..]);
        if (!CryptographicOperations.FixedTimeEquals(proof, clientKey.Zip(signature, (k, s) => (byte)(k ^ s)).ToArray()))
        {
            await WriteNulAsync(stream, """{"error":"Wrong password","error_code":12,"success":false}""");
            return false;
        }
        var serverSignature = HMACSHA256.HashData(HMACSHA256.HashData(salted, "Server Key"u8), Encoding.UTF8.GetBytes(authMessage));
        await WriteNulAsync(stream, new JsonObject { ["authentication"] = "v=" + Convert.ToBase64String(serverSignature), ["success"] = true }.ToJsonString());
        return true;
    }

    private async Task<string> ReadNulAsync(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (true)
        {
            await stream.ReadExactlyAsync(one, _stop.Token);
            if (one[0] == 0)
                return Encoding.UTF8.GetString(bytes.ToArray());
            bytes.Add(one[0]);
        }
    }

    private async Task WriteNulAsync(NetworkStream stream, string json) =>
        await stream.WriteAsync(Encoding.UTF8.GetBytes(json + "\0"), _stop.Token);
}
