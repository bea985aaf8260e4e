using System.Text.Json;

namespace ActorBackup.ReQL.Net;

/// <summary>The SERVER_INFO reply: which server answers this connection (reqlite omits `proxy`).</summary>
public sealed record ServerInfo(string Id, string? Name, bool Proxy)
{
    internal static ServerInfo From(JsonElement info) => new(
        info.TryGetProperty("id", out var id) ? id.ToString() : "",
        info.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null,
        info.TryGetProperty("proxy", out var proxy) && proxy.ValueKind == JsonValueKind.True);
}
