using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorBackup.Admin.Contract.Status;

/// <summary>
/// The JSON form of <see cref="ClusterStatus"/> (camelCase, ISO-8601 times), written by the node and read by every
/// client the same way. A field a status must have that is missing or null makes the text not a status.
/// </summary>
public static class StatusJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    public static string Write(ClusterStatus status) => JsonSerializer.Serialize(status, Options);

    /// <exception cref="JsonException">The text is not a cluster status.</exception>
    public static ClusterStatus Read(string json) =>
        JsonSerializer.Deserialize<ClusterStatus>(json, Options) ?? throw new JsonException("The status is JSON null.");
}
