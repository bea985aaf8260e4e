using System.Net;
using System.Text;
using ActorBackup.Sandbox;

namespace ActorBackup.Cli.Tests.CommandLine;

/// <summary>An HTTP endpoint on loopback that gives every request the same answer and keeps each request's Authorization header.</summary>
internal sealed class FixedAnswerEndpoint : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<string?> _seen = [];
    private readonly int _status;
    private readonly byte[] _body;
    private readonly Task _answering;

    private FixedAnswerEndpoint(int port, int status, string body)
    {
        _status = status;
        _body = Encoding.UTF8.GetBytes(body);
        Url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(Url);
        _listener.Start();
        _answering = Task.Run(AnswerAsync);
    }

    public string Url { get; }

    /// <summary>The Authorization header of every request so far, null where there was none.</summary>
    public IReadOnlyList<string?> Seen
    {
        get { lock (_seen) return _seen.ToArray(); }
    }

    /// <summary>Answers every request with <paramref name="status"/> and <paramref name="body"/> (JSON when it starts with '{', else text).</summary>
    public static FixedAnswerEndpoint Start(int status, string body) => new(FreePort.Next(), status, body);

    public async ValueTask DisposeAsync()
    {
        // Close alone: after Stop, Close re-binds the port to remove the prefix and fails when another test took it.
        _listener.Close();
        await _answering;
    }

    private async Task AnswerAsync()
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
            lock (_seen) _seen.Add(context.Request.Headers["Authorization"]);
            context.Response.StatusCode = _status;
            context.Response.ContentType = _body.FirstOrDefault() == (byte)'{' ? "application/json" : "text/plain";
            await context.Response.OutputStream.WriteAsync(_body);
            context.Response.Close();
        }
    }
}
