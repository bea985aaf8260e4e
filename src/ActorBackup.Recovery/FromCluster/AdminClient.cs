using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using ActorBackup.Admin.Contract;
using ActorBackup.Admin.Contract.Members;
using ActorBackup.Admin.Contract.Ndjson;
using ActorBackup.Admin.Contract.Reconcile;
using ActorBackup.Admin.Contract.Replicas;
using ActorBackup.Admin.Contract.Status;

namespace ActorBackup.Recovery.FromCluster;

/// <summary>HTTP client of one backup node's admin endpoint: status, replica records, quarantine counts, table metadata.</summary>
public sealed class AdminClient(HttpClient http, string baseUrl)
{
    /// <summary>The longest record line accepted from a node: the ledger's own document cap with room for escaping.</summary>
    public const int MaxLineBytes = 32 * 1024 * 1024;

    public string BaseUrl { get; } = Normalize(baseUrl);

    /// <summary>"http://host:port/" with exactly one trailing slash, so URLs compare equal.</summary>
    public static string Normalize(string url) => url.TrimEnd('/') + "/";

    /// <exception cref="BackupClusterException">The node cannot be reached or its answer is not a status.</exception>
    public async Task<ClusterStatus> StatusAsync(CancellationToken ct)
    {
        try
        {
            return await new StatusClient(http, new Uri(BaseUrl)).GetAsync(ct);
        }
        catch (StatusUnavailableException e)
        {
            throw new BackupClusterException($"cannot read the status from {BaseUrl}: {e.Reason}", e);
        }
    }

    /// <summary>
    /// The records of the node's replica of a shard with a timestamp up to <paramref name="at"/>, each line
    /// as captured. Throws <see cref="HttpRequestException"/>, <see cref="IOException"/>, <see cref="InvalidDataException"/> or
    /// <see cref="NdjsonLineTooLongException"/> when the stream cannot be opened or breaks, and <see cref="InvalidDataException"/>
    /// with the node's line when the node refuses a record of its journal that fails verification.
    /// </summary>
    public async IAsyncEnumerable<byte[]> RecordsAsync(string table, int shard, long? at, [EnumeratorCancellation] CancellationToken ct)
    {
        var query = at is { } t ? "?at=" + t.ToString(CultureInfo.InvariantCulture) : "";
        using var response = await http.GetAsync($"{BaseUrl}replicas/{Uri.EscapeDataString(table)}/{shard}/records{query}",
            HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new HttpRequestException($"{BaseUrl} answered {(int)response.StatusCode}: {await ErrorOf(response, ct)}");
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        await foreach (var line in NdjsonReader.ReadAllAsync(body, MaxLineBytes, lineEndRequired: true, ct))
        {
            // The node ends the stream with an error line when a record it read back fails verification; no ledger document is one.
            if (line.AsSpan().StartsWith(ErrorLinePrefix) && AdminError.TryRead(Encoding.UTF8.GetString(line)) is { } refused)
                throw new InvalidDataException(refused);
            yield return line;
        }
    }

    /// <summary>
    /// Has every replica of the node reconcile with the source now (<c>POST /reconcile</c>, admin token) and returns what
    /// each found. Throws <see cref="HttpRequestException"/> when the node refuses or cannot be reached, with its reason.
    /// </summary>
    public async Task<ReconcileReport> ReconcileAsync(CancellationToken ct)
    {
        using var response = await http.PostAsync($"{BaseUrl}{ReconcileReport.Path}", new ByteArrayContent([]), ct);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new HttpRequestException($"{BaseUrl} answered {(int)response.StatusCode}: {await ErrorOf(response, ct)}");
        return ReconcileReport.Read(await response.Content.ReadAsStringAsync(ct));
    }

    /// <summary>The members as the node's status lists them (<c>GET /members</c>). Throws <see cref="HttpRequestException"/> when the node refuses or cannot be reached.</summary>
    public async Task<IReadOnlyList<MemberEntry>> MembersAsync(CancellationToken ct)
    {
        using var response = await http.GetAsync(BaseUrl + MemberChange.Path, ct);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new HttpRequestException($"{BaseUrl} answered {(int)response.StatusCode}: {await ErrorOf(response, ct)}", null, response.StatusCode);
        return JsonSerializer.Deserialize<MemberEntry[]>(await response.Content.ReadAsStringAsync(ct), StatusJson.Options)
               ?? throw new JsonException("The members are JSON null.");
    }

    /// <summary>
    /// Asks the node to have a member leave or be downed (<c>POST /members/leave|down?address=ADDR</c>, admin token).
    /// Throws <see cref="HttpRequestException"/> with the node's line and its status code when it refuses (401 without the
    /// admin token, 404 for an address that is not a member) or cannot be reached.
    /// </summary>
    public async Task<MemberChange> ChangeMemberAsync(string action, string address, CancellationToken ct)
    {
        using var response = await http.PostAsync(BaseUrl + MemberChange.RouteOf(action, address), new ByteArrayContent([]), ct);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new HttpRequestException($"{BaseUrl} answered {(int)response.StatusCode}: {await ErrorOf(response, ct)}", null, response.StatusCode);
        return MemberChange.Read(await response.Content.ReadAsStringAsync(ct));
    }

    private static readonly byte[] ErrorLinePrefix = "{\"error\":"u8.ToArray();

    /// <summary>The node's quarantined records of a shard by reason code.</summary>
    public async Task<IReadOnlyDictionary<string, long>> QuarantineAsync(string table, int shard, CancellationToken ct)
    {
        using var response = await http.GetAsync($"{BaseUrl}replicas/{Uri.EscapeDataString(table)}/{shard}/quarantine", ct);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new HttpRequestException($"{BaseUrl} answered {(int)response.StatusCode}: {await ErrorOf(response, ct)}");
        return QuarantineCounts.Read(await response.Content.ReadAsStringAsync(ct)).ByReason;
    }

    /// <summary>The table metadata the node captured from its sources (the <c>.info</c> content), or null when it has none.</summary>
    public async Task<JsonElement?> TableInfoAsync(string table, CancellationToken ct)
    {
        using var response = await http.GetAsync($"{BaseUrl}tables/{Uri.EscapeDataString(table)}/info", ct);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return document.RootElement.Clone();
    }

    private static async Task<string> ErrorOf(HttpResponseMessage response, CancellationToken ct)
    {
        var text = await response.Content.ReadAsStringAsync(ct);
        return AdminError.TryRead(text) ?? text.Trim();
    }

    /// <summary>The innermost message, which names the actual cause (connection refused, timeout).</summary>
    public static string Reason(Exception e)
    {
        if (e is TaskCanceledException)
            return "no answer in time";
        var inner = e;
        while (inner.InnerException is not null)
            inner = inner.InnerException;
        return inner.Message.TrimEnd('.');
    }
}
