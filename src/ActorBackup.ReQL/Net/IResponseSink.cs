using ActorBackup.ReQL.Errors;

namespace ActorBackup.ReQL.Net;

/// <summary>Receives the responses routed to one token by the reader loop. Implementations must not block.</summary>
internal interface IResponseSink
{
    void OnResponse(Response response);

    void OnBroken(ReqlError error);
}
