using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using ActorBackup.Cluster.Ingest;

namespace ActorBackup.Cli.Verbs.Import;

/// <summary>
/// Talks to a node's import route: one request per chunk of NDJSON, answered once the chunk is durable on R
/// replicas. A transient failure (the cluster answered 5xx, or the connection broke) is tried again after a
/// growing pause, which is safe because storing is idempotent; any other failure ends the import.
/// </summary>
internal sealed class ImportClient(ImportSettings settings) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = settings.RequestTimeout };

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
    public async Task<ImportSummary> SendAsync(string table, byte[] ndjson, CancellationToken ct)
    {
        var url = new Uri(settings.Admin, $"/import/{Uri.EscapeDataString(table)}");
        var delay = settings.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            var outcome = await TryOnceAsync(url, table, ndjson, ct);
            if (outcome.Summary is { } summary)
                return summary;
            if (!outcome.Retryable || attempt >= settings.Attempts)
                throw new ImportFailedException(outcome.Retryable ? $"{outcome.Problem} (after {attempt} attempts)" : outcome.Problem!);
            await Task.Delay(delay, ct);
            delay *= 2;
        }
    }

    private async Task<Outcome> TryOnceAsync(Uri url, string table, byte[] ndjson, CancellationToken ct)
    {
        try
        {
            using var content = new ByteArrayContent(ndjson);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
            using var response = await _http.PostAsync(url, content, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.IsSuccessStatusCode)
            {
                try
                {
                    return new Outcome(ImportJson.ReadSummary(body), null, false);
                }
                catch (JsonException e)
                {
                    return Failed($"{url} did not answer with an import summary: {e.Message}", false);
                }
            }
            var error = ImportJson.TryReadError(body);
            var reason = error?.Message ?? $"{(int)response.StatusCode} {response.ReasonPhrase}: {body.Split('\n')[0]}";
            return Failed($"the cluster refused a chunk of {table}: {reason}", error?.Retryable ?? (int)response.StatusCode >= 500);
        }
        catch (HttpRequestException e)
        {
            return Failed($"the admin endpoint {settings.Admin} stopped answering: {e.Message}", true);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return Failed($"the cluster did not confirm a chunk of {table} within {settings.RequestTimeout.TotalSeconds:0} s", true);
        }
    }

    private static Outcome Failed(string problem, bool retryable) => new(null, problem, retryable);

    /// <summary>A summary, or the one-line problem and whether another try may succeed.</summary>
    private sealed record Outcome(ImportSummary? Summary, string? Problem, bool Retryable);

    public void Dispose() => _http.Dispose();
}
