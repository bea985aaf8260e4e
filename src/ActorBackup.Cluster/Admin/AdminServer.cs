using System.Net;
using System.Text;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cluster.Settings;
using Akka.Event;

namespace ActorBackup.Cluster.Admin;

/// <summary>
/// The HTTP admin endpoint: <c>GET /status</c> (JSON), <c>GET /metrics</c> (Prometheus text),
/// <c>GET /health</c>. System.Net.HttpListener: three read-only routes need no web framework.
/// A failing request gets a 500 and a log line; nothing a client sends can stop the node.
/// </summary>
public sealed class AdminServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private Func<CancellationToken, Task<ClusterStatus>> _status = _ => throw new InvalidOperationException("not serving yet");
    private ILoggingAdapter _log = NoLogger.Instance;
    private IAdminRoutes[] _routes = [];
    private Func<string> _nodeMetrics = () => "";
    private Task _loop = Task.CompletedTask;
    private int _disposed;

    private AdminServer(HttpListener listener, string url)
    {
        _listener = listener;
        Url = url;
    }

    /// <summary>The base URL, e.g. "http://127.0.0.1:8558/".</summary>
    public string Url { get; }

    /// <summary>
    /// Listens on <paramref name="endpoint"/>; requests wait until <see cref="Serve"/>. Binding first
    /// lets a node whose endpoint is taken stop before it joins the cluster.
    /// </summary>
    /// <exception cref="BackupSettingsException">The endpoint cannot be listened on (one line, naming it).</exception>
    public static AdminServer Bind(HostPort endpoint)
    {
        // HttpListener takes "*" for every interface and needs IPv6 literals in brackets.
        var host = endpoint.Host is "0.0.0.0" or "::" ? "*" : endpoint.Host.Contains(':') ? $"[{endpoint.Host}]" : endpoint.Host;
        var prefix = $"http://{host}:{endpoint.Port}/";
        var listener = new HttpListener();
        listener.Prefixes.Add(prefix);
        try
        {
            listener.Start();
        }
        catch (HttpListenerException e)
        {
            listener.Close();
            throw new BackupSettingsException($"actorbackup.admin.endpoint: cannot listen on {endpoint}: {e.Message}.");
        }
        return new AdminServer(listener, prefix.Replace("*", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>
    /// Starts answering requests with the status from <paramref name="status"/>; <c>/metrics</c> adds what
    /// <paramref name="nodeMetrics"/> writes (this node's own counters, apart from the replicated status).
    /// </summary>
    public void Serve(Func<CancellationToken, Task<ClusterStatus>> status, ILoggingAdapter log, Func<string> nodeMetrics, params IAdminRoutes[] routes)
    {
        _nodeMetrics = nodeMetrics;
        _status = status;
        _routes = routes;
        _log = log;
        _loop = Task.Run(AcceptLoop);
    }

    private async Task AcceptLoop()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                if (!_stopping.IsCancellationRequested)
                    _log.Error(e, "The admin endpoint stopped accepting requests.");
                return;
            }
            _ = Task.Run(() => Handle(context));
        }
    }

    private async Task Handle(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            var path = context.Request.Url?.AbsolutePath.TrimEnd('/') ?? "";
            foreach (var routes in _routes)
            {
                if (await routes.TryHandleAsync(context, path, _stopping.Token))
                    return;
            }
            if (context.Request.HttpMethod != "GET")
            {
                await Reply(response, 405, "text/plain; charset=utf-8", "Only GET is supported.\n");
                return;
            }
            switch (path)
            {
                case "/status":
                    await Reply(response, 200, "application/json; charset=utf-8", StatusJson.Write(await _status(_stopping.Token)) + "\n");
                    break;
                case "/metrics":
                    await Reply(response, 200, PrometheusText.ContentType, PrometheusText.Write(await _status(_stopping.Token)) + _nodeMetrics());
                    break;
                case "/health":
                    await Reply(response, 200, "application/json; charset=utf-8", "{\"status\":\"ok\"}\n");
                    break;
                default:
                    await Reply(response, 404, "text/plain; charset=utf-8", $"No such path: {path}. Try /status, /metrics or /health.\n");
                    break;
            }
        }
        catch (Exception e)
        {
            _log.Warning("Admin request {0} failed: {1}", context.Request.Url?.AbsolutePath, e.Message);
            await TryReply(response, 500, $"The request failed: {e.Message}\n");
        }
    }

    private async Task TryReply(HttpListenerResponse response, int status, string text)
    {
        try
        {
            await Reply(response, status, "text/plain; charset=utf-8", text);
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            _log.Debug("Could not send the error reply: {0}", e.Message);
        }
    }

    private static async Task Reply(HttpListenerResponse response, int status, string contentType, string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        await _stopping.CancelAsync();
        _listener.Close();
        await _loop;
        _stopping.Dispose();
    }
}
