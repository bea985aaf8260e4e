using System.Text.Json;
using ActorBackup.Admin.Contract.Status;

namespace ActorBackup.Admin.Contract.Reconcile;

/// <summary>
/// The answer of <c>POST /reconcile</c>: one reconciliation with the source of every replica the node holds, each
/// started after the request. The JSON is camelCase with ISO-8601 times, as the status.
/// </summary>
/// <param name="Node">The answering node's cluster address.</param>
public sealed record ReconcileReport(string Node, IReadOnlyList<ReplicaReconciliation> Replicas)
{
    public const string Path = "reconcile";

    public string Write() => JsonSerializer.Serialize(this, StatusJson.Options);

    /// <exception cref="JsonException">The text is not a reconciliation report.</exception>
    public static ReconcileReport Read(string json) =>
        JsonSerializer.Deserialize<ReconcileReport>(json, StatusJson.Options) ?? throw new JsonException("The report is JSON null.");
}
