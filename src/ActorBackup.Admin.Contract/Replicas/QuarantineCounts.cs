using System.Text.Json;

namespace ActorBackup.Admin.Contract.Replicas;

/// <summary>The answer of <c>GET /replicas/{table}/{shard}/quarantine</c>: the replica's quarantined records by reason code.</summary>
public sealed record QuarantineCounts(string Table, int Shard, long Count, IReadOnlyDictionary<string, long> ByReason)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    public static string Write(QuarantineCounts counts) => JsonSerializer.Serialize(counts, Json);

    /// <exception cref="JsonException">The text is not such an answer.</exception>
    public static QuarantineCounts Read(string json) =>
        JsonSerializer.Deserialize<QuarantineCounts>(json, Json) ?? throw new JsonException("The quarantine counts are JSON null.");
}
