using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ActorBackup.Cluster.Settings;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cluster.Sources;

/// <summary>
/// One connection to a source, shared by the replicas leasing it, and its probe: every
/// <see cref="SourceProbeSettings.Interval"/> it asks the source for its time (<c>r.now()</c>) and hands the answer to
/// whoever waits for one. A network that drops every packet breaks nothing TCP reports, so an answer missing for
/// <see cref="SourceProbeSettings.Timeout"/> aborts the connection: every feed and scan on it fails at once, with the
/// reason. The lane never reconnects; its session opens a new one, so an answer always comes from the connection that
/// carries the waiter's feed.
/// </summary>
internal sealed class SourceLane : IAsyncDisposable
{
    private readonly SourceProbeSettings _probe;
    private readonly Func<DateTimeOffset> _clock;
    private readonly Action<ClockSample> _measured;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private TaskCompletionSource<ClockSample> _next = NewAnswer();
    private TaskCompletionSource _prompt = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Exception? _failure;
    private Task _probing = Task.CompletedTask;
    private int _disposed;

    private SourceLane(Connection connection, string endpoint, SourceProbeSettings probe, Func<DateTimeOffset> clock, Action<ClockSample> measured)
    {
        Connection = connection;
        Endpoint = endpoint;
        _probe = probe;
        _clock = clock;
        _measured = measured;
    }

    public Connection Connection { get; }

    public string Endpoint { get; }

    /// <summary>Leases held on this lane; changed only under its session's lock.</summary>
    public int Leases { get; set; }

    /// <summary>False once the connection broke or the probe gave up: nothing new may be started on it.</summary>
    public bool IsOpen => Connection.State == ConnectionState.Open && Volatile.Read(ref _failure) is null;

    /// <summary>Connects and logs in, measures the source's clock once (so every lease starts with an offset), then probes.</summary>
    public static async Task<SourceLane> OpenAsync(ConnectionOptions options, string endpoint, SourceProbeSettings probe, Func<DateTimeOffset> clock,
        Action<ClockSample> measured, CancellationToken ct)
    {
        var connection = await Connection.ConnectAsync(options, ct);
        try
        {
            measured(await AskTimeAsync(connection, endpoint, probe.Timeout, clock, ct));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        var lane = new SourceLane(connection, endpoint, probe, clock, measured);
        lane._probing = Task.Run(lane.ProbeLoopAsync);
        return lane;
    }

    /// <summary>
    /// The answer to the next question sent after this call; it fails when the connection is lost first. With
    /// <paramref name="prompt"/> the question goes out now instead of at the next interval (waiters share it).
    /// </summary>
    public Task<ClockSample> NextAnswerAsync(bool prompt)
    {
        lock (_gate)
        {
            if (_failure is { } failure)
                return Task.FromException<ClockSample>(failure);
            if (prompt)
                _prompt.TrySetResult();
            return _next.Task;
        }
    }

    private async Task ProbeLoopAsync()
    {
        while (true)
        {
            Task prompt;
            lock (_gate) prompt = _prompt.Task;
            try
            {
                await Task.WhenAny(Task.Delay(_probe.Interval, _stop.Token), prompt);
            }
            catch (OperationCanceledException)
            {
                // Closed by its session: nobody waits any more.
            }
            TaskCompletionSource<ClockSample> waiting;
            lock (_gate)
            {
                // Those who asked before this question get its answer; anyone asking from now on waits for the next.
                waiting = _next;
                _next = NewAnswer();
                _prompt = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            try
            {
                _stop.Token.ThrowIfCancellationRequested();
                var sample = await AskTimeAsync(Connection, Endpoint, _probe.Timeout, _clock, _stop.Token);
                _measured(sample);
                waiting.TrySetResult(sample);
            }
            catch (Exception e)
            {
                var failure = e switch
                {
                    OperationCanceledException => new ReqlConnectionError($"The connection to {Endpoint} was closed by this node."),
                    ReqlError => e,
                    _ => new ReqlDriverError($"Asking {Endpoint} for its time failed: {e.Message}", e),
                };
                Fail(failure, waiting);
                return;
            }
        }
    }

    /// <summary>Ends the lane: the connection is aborted (every feed and scan on it fails with the reason), and so is every wait.</summary>
    private void Fail(Exception failure, TaskCompletionSource<ClockSample> waiting)
    {
        TaskCompletionSource<ClockSample> later;
        lock (_gate)
        {
            _failure ??= failure;
            later = _next;
        }
        Connection.Abort(failure.Message);
        waiting.TrySetException(failure);
        later.TrySetException(failure);
    }

    /// <summary>
    /// Asks for <c>r.now()</c>. The answer may wait behind scan batches the server sends first on the same connection, so
    /// the connection is given up only once nothing at all has arrived on it for <paramref name="timeout"/>: a server still
    /// delivering is alive, and what a watermark may claim waits for the answer anyway.
    /// </summary>
    private static async Task<ClockSample> AskTimeAsync(Connection connection, string endpoint, TimeSpan timeout, Func<DateTimeOffset> clock, CancellationToken ct)
    {
        var sent = clock();
        var watch = Stopwatch.StartNew();
        var asking = R.Now().RunAtomAsync(connection, ct);
        var wait = timeout;
        while (await Task.WhenAny(asking, Task.Delay(wait, ct)) != asking)
        {
            ct.ThrowIfCancellationRequested();
            var silent = TimeSpan.FromTicks(Math.Min(connection.SinceLastReceived.Ticks, watch.Elapsed.Ticks));
            if (silent >= timeout)
            {
                _ = asking.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
                throw new ReqlConnectionError(
                    $"{endpoint} sent nothing for {timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s while asked for its time (actorbackup.source-probe.timeout); the network may be dropping its packets");
            }
            wait = timeout - silent;
        }
        var answer = await asking;
        return new ClockSample(sent, watch.Elapsed, ReadTime(answer, endpoint), Stopwatch.GetTimestamp());
    }

    /// <summary>A TIME pseudo-type's instant: <c>{"$reql_type$":"TIME","epoch_time":1700000000.123,"timezone":"+00:00"}</c>.</summary>
    private static DateTimeOffset ReadTime(JsonElement answer, string endpoint)
    {
        if (answer.ValueKind == JsonValueKind.Object
            && answer.TryGetProperty("$reql_type$", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() == "TIME"
            && answer.TryGetProperty("epoch_time", out var epoch) && epoch.TryGetDouble(out var seconds) && double.IsFinite(seconds)
            && seconds is > -62135596800 and < 253402300800)
            return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Floor(seconds * 1000));
        var text = answer.GetRawText();
        throw new ReqlDriverError($"{endpoint} answered r.now() with something that is not a time: {(text.Length <= 120 ? text : text[..120] + "…")}");
    }

    private static TaskCompletionSource<ClockSample> NewAnswer() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Stops the probe and closes the connection; anyone still waiting for an answer fails.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await _stop.CancelAsync();
        await _probing;
        await Connection.DisposeAsync();
        _stop.Dispose();
    }
}
