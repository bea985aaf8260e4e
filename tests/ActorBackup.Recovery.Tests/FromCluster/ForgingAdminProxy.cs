using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using ActorBackup.Sandbox;

namespace ActorBackup.Recovery.Tests.FromCluster;

/// <summary>
/// A hostile backup node as a client sees it: an HTTP endpoint in front of a real node's admin endpoint that passes
/// everything through, names itself as that node in the status it serves (so clients read that node's replicas here),
/// and alters the signature of every vote it serves. Each forged vote keeps its id. Made together
/// (<see cref="InFrontOf"/>), proxies name each other in place of their nodes, so a client reaches no honest replica.
/// </summary>
internal sealed class ForgingAdminProxy : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly string _target;
    private readonly Task _loop;
    private readonly List<string> _forged = [];
    private IReadOnlyDictionary<string, string> _renames = new Dictionary<string, string>();

    public ForgingAdminProxy(string targetAdminUrl)
    {
        _target = targetAdminUrl.TrimEnd('/') + "/";
        Url = $"http://127.0.0.1:{FreePort.Next()}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public string Url { get; }

    /// <summary>One proxy in front of each node; the status each serves names the proxies in place of the nodes.</summary>
    public static IReadOnlyList<ForgingAdminProxy> InFrontOf(params string[] adminUrls)
    {
        var proxies = adminUrls.Select(url => new ForgingAdminProxy(url)).ToArray();
        var renames = proxies.ToDictionary(p => p._target.TrimEnd('/'), p => p.Url.TrimEnd('/'));
        foreach (var proxy in proxies) proxy._renames = renames;
        return proxies;
    }

    /// <summary>Ids of the votes served with a forged signature.</summary>
    public IReadOnlyList<string> Forged { get { lock (_forged) return _forged.ToArray(); } }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var path = context.Request.Url!.PathAndQuery.TrimStart('/');
        using var upstream = await _http.GetAsync(_target + path);
        var body = await upstream.Content.ReadAsStringAsync();
        if (path == "status")
        {
            body = body.Replace(_target.TrimEnd('/'), Url.TrimEnd('/'));
            foreach (var (node, proxy) in _renames) body = body.Replace(node, proxy);
        }
        else if (path.StartsWith("replicas/votes/", StringComparison.Ordinal) && path.Contains("/records"))
            body = string.Join("", body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => Forge(line) + "\n"));
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.StatusCode = (int)upstream.StatusCode;
        context.Response.ContentType = upstream.Content.Headers.ContentType?.ToString();
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    private string Forge(string line)
    {
        var vote = JsonNode.Parse(line)!.AsObject();
        var signature = vote["signature"]!.GetValue<string>();
        vote["signature"] = (signature[0] == '2' ? "3" : "2") + signature[1..];
        lock (_forged) _forged.Add(vote["id"]!.GetValue<string>());
        return vote.ToJsonString();
    }

    public async ValueTask DisposeAsync()
    {
        // Close alone: after Stop, Close re-binds the port to remove the prefix and fails when another test took it.
        _listener.Close();
        await _loop;
        _http.Dispose();
    }
}
