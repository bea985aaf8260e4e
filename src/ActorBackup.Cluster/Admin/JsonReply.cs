using System.Net;
using System.Text;

namespace ActorBackup.Cluster.Admin;

/// <summary>How a route answers with JSON: one document and a newline, its length announced, the response closed.</summary>
internal static class JsonReply
{
    public static async Task SendAsync(HttpListenerResponse response, int status, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json + "\n");
        response.StatusCode = status;
        response.ContentType = "application/json; charset=utf-8";
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }
}
