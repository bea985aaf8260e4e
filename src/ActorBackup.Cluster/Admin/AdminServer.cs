using System.Net;
using System.Text;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cluster.Settings;
using Akka.Event;

namespace ActorBackup.Cluster.Admin;

/// <summary>
/// The HTTP admin endpoint: <c>GET /status</c> (JSON), <c>GET /metrics</c> (Prometheus text),
/// <c>GET /health</c>, and the routes of <see cref="IAdminRoutes"/>. System.Net.HttpListener: a few routes need no web
/// framework. Before any route runs, a request must pass, in this order: the bound on concurrent requests (503), the
/// Origin check (403: a page in a browser may not call it), and the token (<see cref="AdminAccess"/>: 401, or 403 for the
/// read token on a route that changes something). A failing request gets a 500 and a log line; nothing a client sends
/// can stop the node.
/// </summary>
public sealed class AdminServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private Func<CancellationToken, Task<ClusterStatus>> _status = _ => throw new InvalidOperationException("not serving yet");
    private ILoggingAdapter _log = NoLogger.Instance;
    private IAdminRoutes[] _routes = [];
    private Func<string> _nodeMetrics = () => "";
    private AdminAccess _access = AdminAccess.Open;
    private AdminSettings _limits = null!;
    private SemaphoreSlim _slots = new(1);
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
    /// Starts answering requests with the status from <paramref name="status"/>, to the callers <paramref name="access"/>
    /// lets in, within <paramref name="limits"/>; <c>/metrics</c> adds what <paramref name="nodeMetrics"/> writes (this
    /// node's own counters, apart from the replicated status).
    /// </summary>
    public void Serve(Func<CancellationToken, Task<ClusterStatus>> status, ILoggingAdapter log, Func<string> nodeMetrics, AdminAccess access,
        AdminSettings limits, params IAdminRoutes[] routes)
    {
        _nodeMetrics = nodeMetrics;
        _status = status;
        _routes = routes;
        _log = log;
        _access = access;
        _limits = limits;
        _slots = new SemaphoreSlim(limits.MaxConcurrentRequests);
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
        if (!_slots.Wait(0))
        {
            await Refuse(context, 503, $"The admin endpoint is answering {_limits.MaxConcurrentRequests} requests already (actorbackup.admin.max-concurrent-requests); try again.\n");
            return;
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        deadline.CancelAfter(_limits.RequestTimeout);
        // A read blocked on a client that stopped sending ends only when its connection closes. Only the body is bounded
        // in time: once it has arrived, an answer streams for as long as it takes (a large replica's records to a restore).
        var cut = deadline.Token.Register(() => Abort(context));
        try
        {
            await Admit(context, deadline.Token, () => cut.Dispose());
        }
        finally
        {
            cut.Dispose();
            _slots.Release();
        }
    }

    private async Task Admit(HttpListenerContext context, CancellationToken deadline, Action bodyArrived)
    {
        var request = context.Request;
        var path = request.Url?.AbsolutePath.TrimEnd('/') ?? "";
        if (request.Headers["Origin"] is { } origin && !_limits.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase))
        {
            _log.Warning("Admin request {0} {1} refused: Origin {2} is not in actorbackup.admin.allowed-origins", request.HttpMethod, path, origin);
            await Refuse(context, 403, $"Requests from the origin {origin} are refused (actorbackup.admin.allowed-origins).\n");
            return;
        }
        if (!AdminAccess.IsPublic(path))
        {
            switch (_access.Decide(request.HttpMethod, request.Headers["Authorization"]))
            {
                case AccessDecision.NoToken:
                    _log.Warning("Admin request {0} {1} from {2} refused: no token", request.HttpMethod, path, request.RemoteEndPoint);
                    context.Response.AddHeader("WWW-Authenticate", "Bearer");
                    await Refuse(context, 401, "This route needs the admin token: send Authorization: Bearer TOKEN (actorbackup --token-file).\n");
                    return;
                case AccessDecision.WrongToken:
                    _log.Warning("Admin request {0} {1} from {2} refused: wrong token", request.HttpMethod, path, request.RemoteEndPoint);
                    context.Response.AddHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                    await Refuse(context, 401, "The token is not this cluster's admin or read token.\n");
                    return;
                case AccessDecision.ReadOnly:
                    _log.Warning("Admin request {0} {1} from {2} refused: the read-only token", request.HttpMethod, path, request.RemoteEndPoint);
                    await Refuse(context, 403, "The read-only token allows GET requests only; this one needs the admin token.\n");
                    return;
            }
        }
        if (request.ContentLength64 > _limits.MaxBodyBytes)
        {
            await Refuse(context, 413, $"The request body is {request.ContentLength64} bytes, more than the {_limits.MaxBodyBytes} this endpoint takes (actorbackup.admin.max-body-size).\n");
            return;
        }
        if (!request.HasEntityBody)
            bodyArrived();
        await Route(context, path, new RequestBody(request.InputStream, _limits.MaxBodyBytes, deadline, bodyArrived));
    }

    /// <summary>Answers without reading the body, and closes the connection so that what the client still sends goes nowhere.</summary>
    private async Task Refuse(HttpListenerContext context, int status, string text)
    {
        context.Response.KeepAlive = false;
        await TryReply(context.Response, status, text);
    }

    private void Abort(HttpListenerContext context)
    {
        try
        {
            context.Response.Abort();
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException or HttpListenerException)
        {
            _log.Debug("The connection of a timed-out admin request was already closed: {0}", e.Message);
        }
    }

    private async Task Route(HttpListenerContext context, string path, RequestBody body)
    {
        var response = context.Response;
        try
        {
            var request = new AdminRequest(context, path, body);
            foreach (var routes in _routes)
            {
                if (await routes.TryHandleAsync(request, _stopping.Token))
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
        catch (RequestBodyException e) when (e.Problem == RequestBodyProblem.TooLarge)
        {
            _log.Warning("Admin request {0} cut off: {1}", path, e.Message);
            await Refuse(context, 413, $"The request was cut off: {e.Message}.\n");
        }
        catch (RequestBodyException e)
        {
            _log.Warning("Admin request {0} cut off: {1}", path, e.Message);
            Abort(context);
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
