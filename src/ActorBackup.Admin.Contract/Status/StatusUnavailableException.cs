namespace ActorBackup.Admin.Contract.Status;

/// <summary>
/// No admin endpoint returned a cluster status. <see cref="Reason"/> says why without naming the URL, so that a caller
/// can word its own line; the message is one line naming both.
/// </summary>
public sealed class StatusUnavailableException(Uri url, StatusFailure failure, string reason)
    : Exception(failure == StatusFailure.Unreachable ? $"cannot reach {url}: {reason}" : $"{url} {reason}")
{
    /// <summary>The status URL of the last endpoint tried.</summary>
    public Uri Url { get; } = url;

    public StatusFailure Failure { get; } = failure;

    /// <summary>For <see cref="StatusFailure.Unreachable"/> the connection error; otherwise a phrase such as "did not answer within 5 s".</summary>
    public string Reason { get; } = reason;
}
