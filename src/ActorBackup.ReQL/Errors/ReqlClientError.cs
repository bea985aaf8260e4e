namespace ActorBackup.ReQL.Errors;

/// <summary>CLIENT_ERROR (16): the server says this client broke the protocol. A bug here, never fixed by retrying.</summary>
public sealed class ReqlClientError : ReqlError
{
    public ReqlClientError(string message) : base(message) { }

    public override bool IsTransient => false;
}
