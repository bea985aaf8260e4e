using System.Text.Json;

namespace ActorBackup.Admin.Contract.Status;

/// <summary>
/// Reads <c>GET /status</c> from the first of several admin endpoints that answers, so that watching a cluster goes on
/// while the node behind one of them is being killed. The one reader of the status every client uses.
/// </summary>
/// <param name="http">Its timeout bounds each request; the caller owns it.</param>
public sealed class StatusClient(HttpClient http, IReadOnlyList<Uri> admins)
{
    public StatusClient(HttpClient http, Uri admin) : this(http, [admin])
    {
    }

    /// <summary>The endpoints, first preferred.</summary>
    public IReadOnlyList<Uri> Admins => admins;

    /// <summary>The status URL of an admin endpoint: <c>status</c> under its base, whose path is kept.</summary>
    public static Uri StatusUrl(Uri admin) =>
        new(admin.AbsoluteUri.EndsWith('/') ? admin : new Uri(admin.AbsoluteUri + "/"), "status");

    /// <summary>The status from the first endpoint that answers with one.</summary>
    /// <exception cref="StatusUnavailableException">No endpoint answered with a status; it names the last failure.</exception>
    public async Task<ClusterStatus> GetAsync(CancellationToken ct) => (await ReadAsync(ct)).Status;

    /// <summary>The status and its text as the node sent it, from the first endpoint that answers with one.</summary>
    /// <exception cref="StatusUnavailableException">No endpoint answered with a status; it names the last failure.</exception>
    public async Task<StatusReading> ReadAsync(CancellationToken ct)
    {
        StatusUnavailableException? failure = null;
        foreach (var admin in admins)
        {
            var url = StatusUrl(admin);
            try
            {
                using var response = await http.GetAsync(url, ct);
                var body = await response.Content.ReadAsStringAsync(ct);
                if (!response.IsSuccessStatusCode)
                {
                    failure = new StatusUnavailableException(url, StatusFailure.Refused,
                        $"answered {(int)response.StatusCode} {response.ReasonPhrase}: {body.Split('\n')[0].Trim()}");
                    continue;
                }
                return new StatusReading(url, body, StatusJson.Read(body));
            }
            catch (HttpRequestException e)
            {
                failure = new StatusUnavailableException(url, StatusFailure.Unreachable, e.Message);
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                failure = new StatusUnavailableException(url, StatusFailure.NoAnswer, $"did not answer within {http.Timeout.TotalSeconds:0} s");
            }
            catch (JsonException e)
            {
                failure = new StatusUnavailableException(url, StatusFailure.NotAStatus, $"did not return a cluster status: {e.Message}");
            }
        }
        throw failure ?? throw new ArgumentException("no admin endpoint given", nameof(admins));
    }
}
