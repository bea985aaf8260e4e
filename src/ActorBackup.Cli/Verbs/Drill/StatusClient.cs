using System.Net.Http;
using System.Text.Json;
using ActorBackup.Cluster.Status;

namespace ActorBackup.Cli.Verbs.Drill;

/// <summary>
/// Reads <c>GET /status</c> from the first of several admin endpoints that answers, so that watching a cluster
/// goes on while the node behind one of them is being killed.
/// </summary>
internal sealed class StatusClient(IReadOnlyList<Uri> admins, TimeSpan timeout) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = timeout };

    public StatusClient(Uri admin, TimeSpan timeout) : this([admin], timeout)
    {
    }

    /// <summary>The endpoints, first preferred.</summary>
    public IReadOnlyList<Uri> Admins => admins;

    /// <summary>The status from the first endpoint that answers with one.</summary>
    /// <exception cref="StatusUnavailableException">No endpoint answered; the message names the last failure.</exception>
    public async Task<ClusterStatus> GetAsync(CancellationToken ct)
    {
        string? failure = null;
        foreach (var admin in admins)
        {
            var url = new Uri(admin, "/status");
            try
            {
                using var response = await _http.GetAsync(url, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                if (response.IsSuccessStatusCode)
                    return StatusJson.Read(body);
                failure = $"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}";
            }
            catch (HttpRequestException e)
            {
                failure = $"cannot reach {url}: {e.Message}";
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                failure = $"{url} did not answer within {timeout.TotalSeconds:0} s";
            }
            catch (JsonException e)
            {
                failure = $"{url} did not return a cluster status: {e.Message}";
            }
        }
        throw new StatusUnavailableException(failure ?? "no admin endpoint given");
    }

    public void Dispose() => _http.Dispose();
}
