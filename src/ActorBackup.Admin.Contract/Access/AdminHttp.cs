using System.Net.Http.Headers;

namespace ActorBackup.Admin.Contract.Access;

/// <summary>
/// The HTTP client of every admin API caller: each request carries the token, when there is one, as
/// <c>Authorization: Bearer</c>.
/// </summary>
public static class AdminHttp
{
    /// <summary>A client whose requests time out after <paramref name="timeout"/> and carry <paramref name="token"/>; the caller disposes it.</summary>
    public static HttpClient Create(TimeSpan timeout, string? token)
    {
        var http = new HttpClient { Timeout = timeout };
        if (token is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }
}
