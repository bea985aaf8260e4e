using ActorBackup.ReQL.Errors;

namespace ActorBackup.ReQL.Net;

/// <summary>A sink for queries answered by exactly one response.</summary>
internal sealed class ResponseAwaiter : IResponseSink
{
    private readonly TaskCompletionSource<Response> _response = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<Response> Task => _response.Task;

    public void OnResponse(Response response) => _response.TrySetResult(response);

    public void OnBroken(ReqlError error) => _response.TrySetException(error);
}
