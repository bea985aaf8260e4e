using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using ActorBackup.Admin.Contract;
using ActorBackup.Admin.Contract.Import;

namespace ActorBackup.Cli.Verbs.Import;

/// <summary>
/// Talks to a node's import routes: one request per chunk of NDJSON, answered once the chunk is durable on R
/// replicas, then one per table for its point in time. A transient failure (the cluster answered 5xx, or the connection broke) is tried again after a
/// growing pause, which is safe because storing is idempotent; any other failure ends the import.
/// </summary>
internal sealed class ImportClient(ImportSettings settings) : IDisposable
{
    private readonly HttpClient _http = Admin.Contract.Access.AdminHttp.Create(settings.RequestTimeout, CommandLine.AdminCredentials.Token(settings.TokenFile));

    /// <summary>Checks that a node answers at the admin URL.</summary>
    /// <exception cref="ImportFailedException">It does not.</exception>
    public async Task CheckReachableAsync(CancellationToken ct)
    {
        var url = new Uri(settings.Admin, "/health");
        try
        {
            using var response = await _http.GetAsync(url, ct);
            if (!response.IsSuccessStatusCode)
                throw new ImportFailedException($"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}: is it an actorbackup node?");
        }
        catch (HttpRequestException e)
        {
            throw new ImportFailedException($"cannot reach the admin endpoint {url}: {e.Message}");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new ImportFailedException($"the admin endpoint {url} did not answer within {settings.RequestTimeout.TotalSeconds:0} s");
        }
    }

    /// <summary>Sends one chunk until it is durable, or fails.</summary>
    /// <exception cref="ImportFailedException">The cluster refused the chunk, or failed it on every attempt.</exception>
    public Task<ImportSummary> SendAsync(string table, byte[] ndjson, CancellationToken ct) =>
        RetryAsync(new Uri(settings.Admin, $"/import/{Uri.EscapeDataString(table)}"), ndjson, $"a chunk of {table}", ImportJson.ReadSummary, ct);

    /// <summary>
    /// Gives the replicas of <paramref name="table"/> the import's point in time, once every document of the table is
    /// durable; <paramref name="records"/> is how many verified records up to it the import made durable.
    /// </summary>
    /// <exception cref="ImportFailedException">The cluster refused the point, or failed it on every attempt.</exception>
    public Task<ImportPointSet> SetPointAsync(string table, Watermark at, long records, CancellationToken ct) =>
        RetryAsync(new Uri(settings.Admin, FormattableString.Invariant($"/import/{Uri.EscapeDataString(table)}/as-of?at={at.Seconds}&records={records}")),
            [], $"the point in time of {table}", ImportJson.ReadPoint, ct);

    private async Task<T> RetryAsync<T>(Uri url, byte[] body, string what, Func<string, T> read, CancellationToken ct) where T : class
    {
        var delay = settings.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await TryOnceAsync(url, body, what, read, ct);
            if (outcome.Answer is { } answer)
                return answer;
            if (!outcome.Retryable || attempt >= settings.Attempts)
                throw new ImportFailedException(outcome.Retryable ? $"{outcome.Problem} (after {attempt} attempts)" : outcome.Problem!);
            await Task.Delay(delay, ct);
            delay *= 2;
        }
    }

    private async Task<Outcome<T>> TryOnceAsync<T>(Uri url, byte[] body, string what, Func<string, T> read, CancellationToken ct) where T : class
    {
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
            using var response = await _http.PostAsync(url, content, ct);
            var answer = await response.Content.ReadAsStringAsync(ct);
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    return new Outcome<T>(read(answer), null, false);
                }
                catch (JsonException e)
                {
                    return Failed<T>($"{url} did not answer as an import route does: {e.Message}", false);
                }
            }
            var error = ImportJson.TryReadError(answer);
            var reason = error?.Message ?? $"{(int)response.StatusCode} {response.ReasonPhrase}: {answer.Split('\n')[0]}";
            return Failed<T>($"the cluster refused {what}: {reason}", error?.Retryable ?? (int)response.StatusCode >= 500);
        }
        catch (HttpRequestException e)
        {
            return Failed<T>($"the admin endpoint {settings.Admin} stopped answering: {e.Message}", true);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return Failed<T>($"the cluster did not confirm {what} within {settings.RequestTimeout.TotalSeconds:0} s", true);
        }
    }

    private static Outcome<T> Failed<T>(string problem, bool retryable) where T : class => new(null, problem, retryable);

    /// <summary>An answer, or the one-line problem and whether another try may succeed.</summary>
    private sealed record Outcome<T>(T? Answer, string? Problem, bool Retryable) where T : class;

    public void Dispose() => _http.Dispose();
}
