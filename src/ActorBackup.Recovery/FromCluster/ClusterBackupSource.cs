using System.Runtime.CompilerServices;
using System.Text.Json;
using ActorBackup.Admin.Contract.Ndjson;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Recovery.Archive;
using ActorBackup.Recovery.Restore;

namespace ActorBackup.Recovery.FromCluster;

/// <summary>
/// The ledger as the backup cluster holds it at a time T, read over the nodes' admin endpoints. For each
/// shard it reads one replica whose watermark has passed T, preferring the node it was pointed at; when
/// that stream breaks it reads the shard again from the next replica, skipping ids it already gave, so a
/// record is never given twice nor missed. The ids given are kept per shard in a <see cref="GivenRecordIds"/>, whose
/// memory is bounded by <see cref="ClusterReadOptions"/> whatever the shard's size.
/// </summary>
public sealed class ClusterBackupSource
{
    private readonly HttpClient _http;
    private readonly AdminClient _entry;
    private readonly Action<string> _warn;
    private readonly ClusterReadOptions _options;

    private ClusterBackupSource(HttpClient http, AdminClient entry, ClusterStatus status, Action<string> warn, ClusterReadOptions options)
    {
        _http = http;
        _entry = entry;
        Status = status;
        _warn = warn;
        _options = options;
    }

    /// <summary>
    /// When set, every record a node serves is verified here against the federation's keys; one that fails is a failed
    /// read of that replica (warned, and the shard goes on from the next replica), never handed on.
    /// </summary>
    public ServedRecordCheck? Check { get; private init; }

    /// <summary>This source, checking every record it reads with <paramref name="check"/>.</summary>
    public ClusterBackupSource WithCheck(ServedRecordCheck check) => new(_http, _entry, Status, _warn, _options) { Check = check };

    /// <summary>The cluster status read when connecting.</summary>
    public ClusterStatus Status { get; }

    /// <summary>The admin URL this source was pointed at.</summary>
    public string AdminUrl => _entry.BaseUrl;

    /// <summary>Reads the status from <paramref name="adminUrl"/>; <paramref name="warn"/> receives one-line warnings (fallback metadata, failovers).</summary>
    /// <exception cref="BackupClusterException">The node cannot be reached or is not a backup node.</exception>
    public static async Task<ClusterBackupSource> ConnectAsync(HttpClient http, string adminUrl, Action<string>? warn, CancellationToken ct,
        ClusterReadOptions? options = null, ServedRecordCheck? check = null)
    {
        if (!Uri.TryCreate(adminUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new BackupClusterException($"--admin must be an http:// URL such as http://127.0.0.1:8558 (got '{adminUrl}')");
        var entry = new AdminClient(http, adminUrl);
        var source = Over(http, adminUrl, await entry.StatusAsync(ct), warn, options);
        return check is null ? source : source.WithCheck(check);
    }

    /// <summary>A source over a status already read, entering by <paramref name="adminUrl"/> (preferred for reading shards).</summary>
    public static ClusterBackupSource Over(HttpClient http, string adminUrl, ClusterStatus status, Action<string>? warn,
        ClusterReadOptions? options = null) =>
        new(http, new AdminClient(http, adminUrl), status, warn ?? (_ => { }), options ?? ClusterReadOptions.Default);

    /// <summary>
    /// Checks T against the restorable point: null means the restorable point itself; a later T is refused
    /// unless <paramref name="forceUnsafe"/>, since some shard may lack records up to it.
    /// </summary>
    public long ResolvePoint(long? at, bool forceUnsafe)
    {
        var restorable = Status.RestorablePoint?.ToUnixTimeSeconds();
        if (at is null)
            return restorable ?? throw new BackupClusterException("nothing is restorable yet: some shard has no replica with a watermark");
        if (!forceUnsafe && (restorable is null || at > restorable))
            throw new BackupClusterException(restorable is { } point
                ? $"T = {Iso(at.Value)} is after the restorable point {Iso(point)}: the backup is complete only up to it (--force-unsafe-at to restore anyway)"
                : $"nothing is restorable yet: some shard has no replica with a watermark (--force-unsafe-at to restore anyway)");
        return at.Value;
    }

    /// <summary>The tables the cluster backs up, in the order of the status.</summary>
    public IReadOnlyList<string> Tables => Status.Shards.Select(s => s.Table).Distinct().ToArray();

    /// <summary>The tables to read: all that the cluster backs up, or the named ones (unknown names refused in one line).</summary>
    public IReadOnlyList<string> SelectTables(IReadOnlyCollection<string> names)
    {
        if (names.Count == 0)
            return Tables;
        var unknown = names.Where(n => !Tables.Contains(n)).ToArray();
        if (unknown.Length > 0)
            throw new BackupClusterException($"the backup has no table {string.Join(", ", unknown)} (it holds {string.Join(", ", Tables)})");
        return [.. names];
    }

    /// <summary>The tables at <paramref name="at"/> as the restore engine takes them, documents of every shard concatenated.</summary>
    public async Task<IReadOnlyList<RestoreTable>> RestoreTablesAsync(string db, IReadOnlyList<string> tables, long at, CancellationToken ct)
    {
        var result = new List<RestoreTable>();
        foreach (var table in tables)
            result.Add(new RestoreTable(await TableInfoAsync(db, table, ct), Documents(table, at), ExpectedCount(table, at)));
        return result;
    }

    /// <summary>
    /// The metadata captured from the sources, from the first node that has it; without any, primary key
    /// <c>id</c> and BigchainDB's index names, with a warning.
    /// </summary>
    public async Task<TableInfo> TableInfoAsync(string db, string table, CancellationToken ct)
    {
        foreach (var node in NodesInPreferenceOrder())
        {
            try
            {
                if (await node.TableInfoAsync(table, ct) is { } info)
                    return TableInfo.FromInfoDocument(db, table, info);
            }
            catch (Exception e) when (e is HttpRequestException or JsonException or FormatException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                _warn($"{node.BaseUrl}: table metadata of {table} unreadable ({AdminClient.Reason(e)})");
            }
        }
        _warn($"{table}: no captured table metadata; using primary key id and BigchainDB's index names");
        var indexes = BigchainDbSchema.IndexesOf(table).Select(i => JsonSerializer.SerializeToElement(new { index = i.Name }));
        return new TableInfo(db, table, BigchainDbSchema.PrimaryKey, [.. indexes]);
    }

    /// <summary>Every record of <paramref name="table"/> with a timestamp up to <paramref name="at"/>, shard after shard.</summary>
    public async IAsyncEnumerable<JsonElement> Documents(string table, long at, [EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var shard in Status.Shards.Where(s => s.Table == table).OrderBy(s => s.Shard))
        {
            await foreach (var line in ShardRecords(shard, at, ct))
                yield return JsonElement.Parse(line);
        }
    }

    /// <summary>
    /// The raw record lines of one shard at <paramref name="at"/> (every record held when null), failing over
    /// between its replicas.
    /// </summary>
    public async IAsyncEnumerable<byte[]> ShardRecords(ShardStatus shard, long? at, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var candidates = Candidates(shard, at);
        if (candidates.Count == 0)
            throw new BackupClusterException(at is { } t
                ? $"{shard.Id}: no reachable replica with a published admin URL has a watermark at or after {Iso(t)}"
                : $"{shard.Id}: no reachable replica with a published admin URL");
        var replicas = candidates.Select(node => new ShardReplica(node.BaseUrl, c => node.RecordsAsync(shard.Table, shard.Shard, at, c))).ToArray();
        var check = Check;
        await foreach (var line in ReadShard(shard.Id, replicas, _options, _warn, ct, check is null ? null : line => check.Problem(shard.Table, line)))
            yield return line;
    }

    /// <summary>
    /// The record lines of shard <paramref name="shardId"/> read from <paramref name="replicas"/> in turn: each one's
    /// stream until it ends (done) or breaks (the next one is read, skipping the ids already given, kept in a
    /// <see cref="GivenRecordIds"/>). Throws <see cref="BackupClusterException"/> when every replica broke.
    /// </summary>
    /// <param name="problemOf">Why a line fails verification here, null when it passes; a replica serving one is failed over like a broken one.</param>
    public static async IAsyncEnumerable<byte[]> ReadShard(string shardId, IReadOnlyList<ShardReplica> replicas, ClusterReadOptions options,
        Action<string> warn, [EnumeratorCancellation] CancellationToken ct = default, Func<byte[], string?>? problemOf = null)
    {
        using var given = new GivenRecordIds(options);
        var failures = new List<string>();
        foreach (var replica in replicas)
        {
            var records = replica.Records(ct).GetAsyncEnumerator(ct);
            try
            {
                while (true)
                {
                    byte[] line;
                    try
                    {
                        if (!await records.MoveNextAsync())
                            break;
                        line = records.Current;
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException or InvalidDataException or NdjsonLineTooLongException
                                                  or TaskCanceledException && !ct.IsCancellationRequested)
                    {
                        failures.Add($"{replica.Name}: {AdminClient.Reason(e)}");
                        warn($"{shardId}: reading from {replica.Name} failed ({AdminClient.Reason(e)}); trying the next replica");
                        goto nextReplica;
                    }
                    string id;
                    try
                    {
                        id = IdOf(line, shardId);
                    }
                    catch (BackupClusterException e)
                    {
                        failures.Add($"{replica.Name}: {e.Message}");
                        warn($"{e.Message} from {replica.Name}; trying the next replica");
                        goto nextReplica;
                    }
                    if (problemOf?.Invoke(line) is { } problem)
                    {
                        failures.Add($"{replica.Name} served {id}, which fails verification ({problem})");
                        warn($"{shardId}: {replica.Name} served {id}, which fails verification against the federation's keys ({problem}); trying the next replica");
                        goto nextReplica;
                    }
                    if (given.Add(id))
                        yield return line;
                }
                yield break;
            }
            finally
            {
                await records.DisposeAsync();
            }
            nextReplica:;
        }
        throw new BackupClusterException($"{shardId}: every replica failed: {string.Join("; ", failures)}");
    }

    /// <summary>Replicas that hold T (any when null), on reachable nodes with an admin URL: the entry node first, then by watermark.</summary>
    public IReadOnlyList<AdminClient> Candidates(ShardStatus shard, long? at)
    {
        var urls = Status.Members.Where(m => m.Reachable && m.AdminUrl is not null)
            .ToDictionary(m => m.Address, m => AdminClient.Normalize(m.AdminUrl!), StringComparer.Ordinal);
        return shard.Replicas
            .Where(r => r.Reachable && (at is null || Seconds(r.Watermark) >= at) && urls.ContainsKey(r.Node))
            .OrderByDescending(r => urls[r.Node] == _entry.BaseUrl)
            .ThenByDescending(r => Seconds(r.Watermark))
            .Select(r => urls[r.Node] == _entry.BaseUrl ? _entry : new AdminClient(_http, urls[r.Node]))
            .ToArray();
    }

    /// <summary>For progress only: the records held when T is at or after every replica's watermark, unknown otherwise.</summary>
    private long? ExpectedCount(string table, long at)
    {
        var shards = Status.Shards.Where(s => s.Table == table).ToArray();
        return shards.All(s => s.Replicas.Where(r => r.Reachable).All(r => Seconds(r.Watermark) <= at))
            ? shards.Sum(s => s.Replicas.Where(r => r.Reachable).Select(r => r.Records).DefaultIfEmpty(0).Max())
            : null;
    }

    private IEnumerable<AdminClient> NodesInPreferenceOrder() =>
        Status.Members.Where(m => m.Reachable && m.AdminUrl is not null)
            .Select(m => AdminClient.Normalize(m.AdminUrl!))
            .OrderByDescending(url => url == _entry.BaseUrl)
            .Select(url => url == _entry.BaseUrl ? _entry : new AdminClient(_http, url));

    private static string IdOf(byte[] line, string shardId)
    {
        var reader = new Utf8JsonReader(line);
        try
        {
            using var document = JsonDocument.ParseValue(ref reader);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("id", out var id)
                && id.ValueKind == JsonValueKind.String)
                return id.GetString()!;
        }
        catch (JsonException e)
        {
            throw new BackupClusterException($"{shardId}: a record is not JSON ({e.Message})", e);
        }
        throw new BackupClusterException($"{shardId}: a record has no string id");
    }

    /// <summary>A watermark of the status in Unix seconds, as the records' timestamps are; null when it has none.</summary>
    public static long? Seconds(DateTimeOffset? watermark) => watermark?.ToUnixTimeSeconds();

    public static string Iso(long seconds) => DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
}

/// <summary>One replica of a shard to read: <see cref="Name"/> for messages (its node's admin URL), <see cref="Records"/> opens its stream.</summary>
public sealed record ShardReplica(string Name, Func<CancellationToken, IAsyncEnumerable<byte[]>> Records);
