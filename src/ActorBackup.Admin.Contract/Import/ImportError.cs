namespace ActorBackup.Admin.Contract.Import;

/// <summary>Why an import request failed.</summary>
/// <param name="Message">One line.</param>
/// <param name="Acknowledged">Documents of the request made durable on R replicas before the failure.</param>
/// <param name="Retryable">Whether sending the request again may succeed (storing is idempotent, so it is always safe).</param>
public sealed record ImportError(string Message, string Table, long Acknowledged, bool Retryable);
